import { answerWithin } from "./answer-within.ts";
import { startMediaBridge } from "./media-bridge.ts";

/** How long one caller waits for the worker before going on without it (the registration goes on). */
const CONTROL_TIMEOUT_MS = 5_000;
let controlled: Promise<boolean> | undefined;

/**
 * Registers the media service worker once and resolves true when it controls this page (only
 * then do <video>/<audio> requests and disk downloads reach it). False where service workers are
 * unavailable, and for a caller that waited CONTROL_TIMEOUT_MS: a registration that never
 * settles (a browser that ignores it) must not hold a download or a video.
 */
export function ensureMediaWorker(): Promise<boolean> {
  controlled ??= register();
  return answerWithin(controlled, CONTROL_TIMEOUT_MS);
}

async function register(): Promise<boolean> {
  if (!("serviceWorker" in navigator)) return false;
  const container = navigator.serviceWorker;
  startMediaBridge(container);
  const takesControl = new Promise<true>((resolve) =>
    container.addEventListener("controllerchange", () => resolve(true), { once: true }),
  );
  await container.register("/sw.js", { scope: "/" });
  await container.ready;
  return container.controller ? true : takesControl;
}
