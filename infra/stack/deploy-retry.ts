import { setTimeout as sleep } from "node:timers/promises";

/**
 * Real Nex 0.x hands a deploy to a warm nex-agent that may not be ready yet (upstream races, likelier on a
 * loaded machine): no handshake yet ("agent pool did not initialize properly", "no available agent", "exceeded
 * maximum number of agent workload deploy attempts"), or its internal JetStream account not yet usable ("Failed
 * to get and write workload artifact": jetstream not enabled, no responders), sometimes after the node started
 * the workload anyway.
 * Such a deploy is retried once the pool has had time to refill, unless the workload turns out to be running.
 * Other errors fail at once.
 */
export const POOL_NOT_READY =
  /agent pool did not initialize properly|no available agent|Failed to get agent client from pool|exceeded maximum number of agent workload deploy attempts|Failed to get and write workload artifact/i;

/** Runs `deploy`, retrying the pool races above; a retry first asks whether the workload runs after all. */
export async function retryNexDeploy<T>(
  deploy: () => Promise<T>,
  alreadyRunning: () => Promise<T | undefined>,
  attempts = 10,
  pauseMs = 1500,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deploy();
    } catch (e) {
      if (!POOL_NOT_READY.test((e as Error).message) || attempt >= attempts) throw e;
      await sleep(pauseMs);
      const running = await alreadyRunning();
      if (running !== undefined) return running;
    }
  }
}

/** retryNexDeploy for callers that only need the deploy done: `running` lists the names of running workloads. */
export async function deployWithRetry(
  deploy: () => Promise<unknown>,
  running: () => Promise<Set<string>>,
  name: string,
): Promise<void> {
  await retryNexDeploy(deploy, async () => ((await running()).has(name) ? true : undefined));
}
