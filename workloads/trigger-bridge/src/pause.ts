import { setTimeout as sleep } from "node:timers/promises";

/** Waits `ms`; resolves false (never rejects) when `signal` aborts first. */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
