import { setTimeout as sleep } from "node:timers/promises";
import { StackError } from "./stack-error.ts";

type Jsz = {
  meta_cluster?: { leader?: string; cluster_size?: number; replicas?: { name: string; current: boolean }[] };
};

/**
 * A cluster can place R3 streams once its JetStream meta group is complete: a leader, and every
 * other server a current peer. Asks the servers' monitoring endpoints until one says so.
 */
export async function waitForClusterReady(
  httpUrls: string[],
  log: (line: string) => void,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    for (const url of httpUrls) {
      const jsz = await fetch(`${url}/jsz`).then(
        (r) => (r.ok ? (r.json() as Promise<Jsz>) : undefined),
        () => undefined,
      );
      const meta = jsz?.meta_cluster;
      if (!meta) continue;
      last = JSON.stringify(meta);
      if (meta.leader && meta.replicas?.length === httpUrls.length - 1 && meta.replicas.every((r) => r.current)) {
        log(`cluster of ${httpUrls.length} servers ready (JetStream meta leader ${meta.leader})`);
        return;
      }
    }
    await sleep(250);
  }
  throw new StackError(
    "START_FAILED",
    `the JetStream meta group of the ${httpUrls.length} servers did not complete within ${timeoutMs} ms (last: ${last})`,
  );
}
