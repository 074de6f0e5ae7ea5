export type RestartPolicy = { maxRestarts: number; baseDelayMs: number; maxDelayMs: number; stableAfterMs: number };

/** Up to 5 restarts with exponential backoff from 250 ms, capped at 30 s. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  maxRestarts: 5,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
};

/**
 * The delay before restart number `attempt` (1-based), or undefined when the workload has used
 * up its restarts. A run that lasted `stableAfterMs` counts as healthy and starts the count over.
 */
export function restartDelay(
  attempt: number,
  lastRunMs: number,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): { attempt: number; delayMs: number } | undefined {
  const n = lastRunMs >= policy.stableAfterMs ? 1 : attempt;
  if (n > policy.maxRestarts) return undefined;
  return { attempt: n, delayMs: Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1)) };
}
