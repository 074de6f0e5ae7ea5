import { setTimeout as sleep } from "node:timers/promises";

/**
 * Real Nex 0.x hands a deploy to a warm nex-agent that may not be ready yet (upstream races, likelier on a
 * loaded machine): no handshake yet ("agent pool did not initialize properly", "no available agent", "exceeded
 * maximum number of agent workload deploy attempts"), or its internal JetStream account not yet usable
 * ("jetstream not enabled" while fetching the artifact), sometimes after the node started the workload anyway.
 * Such a deploy is retried once the pool has had time to refill, unless the workload turns out to be running.
 * Other errors fail at once.
 */
export const POOL_NOT_READY =
  /agent pool did not initialize properly|no available agent|Failed to get agent client from pool|exceeded maximum number of agent workload deploy attempts|jetstream not enabled/i;

export async function deployWithRetry(
  deploy: () => Promise<unknown>,
  running: () => Promise<Set<string>>,
  name: string,
  attempts = 6,
  pauseMs = 1000,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await deploy();
      return;
    } catch (e) {
      if (!POOL_NOT_READY.test((e as Error).message) || attempt >= attempts) throw e;
      await sleep(pauseMs);
      if ((await running()).has(name)) return;
    }
  }
}
