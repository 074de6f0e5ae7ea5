/** What the pool's watchdog last noted about one worker's top level run ahead of a call. */
export type AheadWatch = { runsSeen?: number };

/**
 * One watchdog tick for one worker, from its shared signal: `running` whether a top level runs
 * ahead right now, `runs` how many it has started. A run that was already running at the last
 * tick, with no other started since, has lasted at least a whole period: it ran away.
 */
export function tickAheadWatch(watch: AheadWatch, running: boolean, runs: number): boolean {
  if (!running) {
    watch.runsSeen = undefined;
    return false;
  }
  if (watch.runsSeen !== runs) {
    watch.runsSeen = runs;
    return false;
  }
  return true;
}
