/** What the pool knows of one idle worker: the script it ran last, and whether that script's next context is made. */
export type IdleWorker = { warmFor?: string; contextReady: boolean };

/**
 * At most this many workers keep a context ready for one script: a call back to back with the
 * last one finds the other worker's context, made while the last call ran, not the one still
 * being made (a context costs about half a millisecond of CPU).
 */
export const WARM_WORKERS_PER_SCRIPT = 2;

/**
 * Which idle worker takes a call for `scriptKey` (-1: none is idle): the latest whose context for
 * it is made, else the latest still making one, else the most recently used. `warmAnother`: the
 * script has idle workers but none is ready, so another worker should start making a context.
 */
export function pickIdleWorker(
  idle: readonly IdleWorker[],
  scriptKey: string,
): { index: number; warmAnother: boolean } {
  const ready = lastIndex(idle, (w) => w.warmFor === scriptKey && w.contextReady);
  if (ready >= 0) return { index: ready, warmAnother: false };
  const warm = lastIndex(idle, (w) => w.warmFor === scriptKey);
  if (warm >= 0) return { index: warm, warmAnother: true };
  return { index: idle.length - 1, warmAnother: false };
}

/** Whether a new worker may start warm for a script that `warmWorkers` workers already run. */
export function mayWarmAnother(warmWorkers: number, poolSize: number, maxWorkers: number): boolean {
  return warmWorkers < WARM_WORKERS_PER_SCRIPT && poolSize < maxWorkers;
}

function lastIndex<T>(xs: readonly T[], test: (x: T) => boolean): number {
  let i = xs.length - 1;
  while (i >= 0 && !test(xs[i] as T)) i--;
  return i;
}
