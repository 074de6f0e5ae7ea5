/**
 * Credit windows of the page's disk downloads, in 512 KiB chunks. A larger window lets nats-server
 * flush more per websocket message: measured side by side, 64 instead of 32 cut Chromium's CPU per
 * MiB by ≈ 9% and nats-server's by ≈ 10%. Everything credited may wait in nats-server's buffer for
 * this connection when the page stalls, and past its max_pending (64 MB by default) nats-server
 * closes the connection as a slow consumer, so the page's downloads share one budget.
 */
export const DISK_WINDOW_MAX = 64;
/** 48 MiB of 512 KiB chunks: below max_pending with room for the page's other traffic. */
export const DISK_WINDOW_BUDGET = 96;
/** A download started while others hold the budget still moves, with this many chunks in flight. */
export const DISK_WINDOW_MIN = 4;

/** The window for a download that starts while the page's other downloads hold `reserved` chunks. */
export function diskWindow(reserved: number): number {
  return Math.max(DISK_WINDOW_MIN, Math.min(DISK_WINDOW_MAX, DISK_WINDOW_BUDGET - reserved));
}
