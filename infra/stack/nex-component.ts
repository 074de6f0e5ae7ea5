import type { NatsConnection } from "@nats-io/nats-core";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pingNodes } from "../nex/index.ts";
import { stackCredsPath } from "./bootstrap.ts";
import { stackDeployKeys } from "./deploy-keys.ts";
import { stackPaths } from "./paths.ts";
import { spawnLogged } from "./processes.ts";
import { repoRoot } from "./runtime.ts";
import { StackError } from "./stack-error.ts";

export const NEX_MARKER = "infra/nex/cli/main.ts";
export const NEX_NAMESPACE = "natster";

/**
 * The node config `natster up` runs with: the fields users know from Nex 0.x. With `validIssuers`,
 * the node takes deploys only from those keys: holding the global creds is not enough to run code.
 */
export const stackNodeConfig = (validIssuers: string[] = []) => ({
  workload_types: ["native", "v8"],
  no_sandbox: true,
  tags: { "natster.stack": "local" },
  node_limits: { max_workloads: 64 },
  ...(validIssuers.length > 0 ? { valid_issuers: validIssuers } : {}),
});

/** Starts the local Nex node (`bin/nex node up`) as the NATSTER_GLOBAL service user, detached. */
export function spawnNexNode(dir: string, natsUrl: string): number {
  const paths = stackPaths(dir);
  const config = join(paths.conf, "nex-node.json");
  writeFileSync(config, JSON.stringify(stackNodeConfig([stackDeployKeys(dir).issuer.getPublicKey()]), null, 2) + "\n");
  return spawnLogged({
    command: join(repoRoot, "bin/nex"),
    args: ["-s", natsUrl, "--creds", stackCredsPath(dir, "global"), "node", "up", "--config", config],
    logPath: join(paths.logs, "nex-node.log"),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NEX_HOME: join(dir, "nex") },
    detached: true,
  });
}

/** The id of the one node this stack runs, once it answers $NEX.PING. */
export async function waitForNexNode(nc: NatsConnection, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const nodes = await pingNodes(nc, 500).catch(() => []);
    const mine = nodes.find((n) => n.tags?.["natster.stack"] === "local");
    if (mine) return mine.node_id;
    await sleep(200);
  }
  throw new StackError("START_FAILED", `the Nex node did not answer $NEX.PING within ${timeoutMs} ms (log: nex-node.log)`);
}
