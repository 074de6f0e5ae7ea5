import type { NatsConnection } from "@nats-io/nats-core";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pingNodes } from "nex-node";
import { stackCredsPath, stackPaths } from "@natster/identity";
import { stackDeployKeys } from "./deploy-keys.ts";
import { spawnLogged } from "./processes.ts";
import { repoRoot } from "@natster/node-kit";
import { StackError } from "./stack-error.ts";

export const NEX_MARKER = "packages/nex-node/src/cli/main.ts";
export const NEX_NAMESPACE = "natster";
/** The node tag that tells the stack's global nodes apart (`nex-node`, `nex-node-2` …). */
export const NODE_TAG = "natster.node";

/**
 * The node config `natster up` runs with: the fields users know from Nex 0.x. With `validIssuers`,
 * the node takes deploys only from those keys: holding the global creds is not enough to run code.
 */
export const stackNodeConfig = (validIssuers: string[] = [], nodeName?: string) => ({
  workload_types: ["native", "v8"],
  no_sandbox: true,
  tags: { "natster.stack": "local", ...(nodeName ? { [NODE_TAG]: nodeName } : {}) },
  node_limits: { max_workloads: 64 },
  ...(validIssuers.length > 0 ? { valid_issuers: validIssuers } : {}),
});

/** Where one global node keeps its config, log and NEX_HOME: `nex-node` has the names it always had. */
export const nexNodeFiles = (dir: string, id: string) => {
  const paths = stackPaths(dir);
  return {
    config: join(paths.conf, `${id}.json`),
    log: join(paths.logs, `${id}.log`),
    home: join(dir, id === "nex-node" ? "nex" : id.replace("nex-node", "nex")),
  };
};

/**
 * Starts one local Nex node (`bin/nex node up`) as the NATSTER_GLOBAL service user, detached, on
 * every server of `servers` (a comma-separated list: it fails over by itself). Its config path,
 * which names the stack dir, is the marker that keeps the PID ours.
 */
export function spawnNexNode(dir: string, servers: string, id = "nex-node"): { pid: number; marker: string } {
  const files = nexNodeFiles(dir, id);
  writeFileSync(
    files.config,
    JSON.stringify(stackNodeConfig([stackDeployKeys(dir).issuer.getPublicKey()], id), null, 2) + "\n",
  );
  const pid = spawnLogged({
    command: join(repoRoot, "bin/nex"),
    args: ["-s", servers, "--creds", stackCredsPath(dir, "global"), "node", "up", "--config", files.config],
    logPath: files.log,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NEX_HOME: files.home },
    detached: true,
  });
  return { pid, marker: files.config };
}

/**
 * The node id of each of the stack's global nodes, once every one answers $NEX.PING. A node
 * started before nodes were tagged (a single-node stack) is taken as the only one.
 */
export async function waitForNexNodes(
  nc: NatsConnection,
  ids: string[],
  timeoutMs = 30_000,
): Promise<Map<string, string>> {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (Date.now() < deadline) {
    const nodes = (await pingNodes(nc, 500).catch(() => [])).filter((n) => n.tags?.["natster.stack"] === "local");
    seen = nodes.length;
    const found = new Map(
      ids.flatMap((id) => {
        const node = nodes.find((n) => n.tags?.[NODE_TAG] === id) ?? (ids.length === 1 ? nodes[0] : undefined);
        return node ? [[id, node.node_id] as const] : [];
      }),
    );
    if (found.size === ids.length) return found;
    await sleep(200);
  }
  throw new StackError(
    "START_FAILED",
    `the Nex nodes ${ids.join(", ")} did not all answer $NEX.PING within ${timeoutMs} ms (${seen} did; logs: ${ids.map((i) => `${i}.log`).join(", ")})`,
  );
}
