/**
 * Credit windows of the page's disk downloads, in 512 KiB chunks. Everything credited may wait in
 * nats-server's buffer for the page's connection when the page stalls, and past its max_pending
 * (64 MB by default) nats-server closes that connection as a slow consumer, so the page's
 * downloads share one budget instead of each taking a full window. (A window of 64 measured no
 * faster than 32 side by side, nor did 96: the page's path is bound by CPU per MiB, not by credit.)
 */
export const DISK_WINDOW_MAX = 32;
/** 48 MiB of 512 KiB chunks: below max_pending with room for the page's other traffic. */
export const DISK_WINDOW_BUDGET = 96;
/** A download started while others hold the budget still moves, with this many chunks in flight. */
export const DISK_WINDOW_MIN = 4;

/** The window for a download that starts while the page's other downloads hold `reserved` chunks. */
export function diskWindow(reserved: number): number {
  return Math.max(DISK_WINDOW_MIN, Math.min(DISK_WINDOW_MAX, DISK_WINDOW_BUDGET - reserved));
}
