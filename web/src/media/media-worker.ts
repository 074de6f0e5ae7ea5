import { startMediaBridge } from "./media-bridge.ts";

const CONTROL_TIMEOUT_MS = 5_000;
let ready: Promise<boolean> | undefined;

/**
 * Registers the media service worker once and resolves true when it controls this page (only
 * then do <video>/<audio> requests reach it). False where service workers are unavailable.
 */
export function ensureMediaWorker(): Promise<boolean> {
  ready ??= register().catch(() => false);
  return ready;
}

async function register(): Promise<boolean> {
  if (!("serviceWorker" in navigator)) return false;
  const container = navigator.serviceWorker;
  startMediaBridge(container);
  await container.register("/sw.js", { scope: "/" });
  await container.ready;
  if (container.controller) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(Boolean(container.controller)), CONTROL_TIMEOUT_MS);
    container.addEventListener(
      "controllerchange",
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      { once: true },
    );
  });
}
