import { encodeUser, fmtCreds } from "@nats-io/jwt";
import type { NatsConnection } from "@nats-io/nats-core";
import { createUser } from "@nats-io/nkeys";
import { connectWithCreds, repoRoot } from "@natster/node-kit";
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { userNodeConfig, userNodePermissions } from "../deploy/account-node.ts";
import { pingNodes } from "nex-node";
import { loadStackKey, readStackCreds, type StackIdentity, stackPaths } from "@natster/identity";
import { stackDeployKeys } from "./deploy-keys.ts";
import { ensureHubCatalog } from "./hub.ts";
import { isOurs, StopPolicies, type TrackedProcess } from "./pid-file.ts";
import { isAlive, spawnLogged } from "./processes.ts";
import { StackError } from "./stack-error.ts";

export const HUB_NODE = "hub-node";

/**
 * The hub is an account like any user's, so its demo catalog runs like theirs: on the hub's own
 * Nex node, a user of HUB with a node user's permissions, not on the global node. Starts that node
 * when it does not run (recording its PID through `record` before waiting), then serves the catalog.
 */
export async function ensureHubSide(
  dir: string,
  identity: StackIdentity,
  natsUrl: string,
  running: TrackedProcess | undefined,
  record: (p: TrackedProcess) => void,
): Promise<{ servedNow: boolean }> {
  const hub = await connectWithCreds(natsUrl, readStackCreds(dir, "hub"), "natster-up-hub");
  try {
    let pid = running && isOurs(running) ? running.pid : undefined;
    if (pid === undefined) {
      const started = await spawnHubNode(dir, identity, natsUrl);
      record(started);
      pid = started.pid;
    }
    const nodeId = await waitForHubNode(hub, identity.accounts.HUB.public_key, pid);
    return { servedNow: await ensureHubCatalog(hub, dir, identity, natsUrl, nodeId) };
  } finally {
    await hub.close();
  }
}

async function spawnHubNode(dir: string, identity: StackIdentity, natsUrl: string): Promise<TrackedProcess> {
  const paths = stackPaths(dir);
  const hubKey = identity.accounts.HUB.public_key;
  const user = createUser();
  const jwt = await encodeUser("natster-hub-node", user, loadStackKey(dir, "HUB-signing"), {
    ...userNodePermissions(),
    issuer_account: hubKey,
  });
  const creds = join(paths.creds, "hub-node.creds");
  writeFileSync(creds, fmtCreds(jwt, user), { mode: 0o600 });
  const config = join(paths.conf, "hub-node.json");
  writeFileSync(
    config,
    JSON.stringify(userNodeConfig(hubKey, randomUUID(), stackDeployKeys(dir).issuer.getPublicKey()), null, 2) + "\n",
  );
  const pid = spawnLogged({
    command: join(repoRoot, "bin/nex"),
    args: ["-s", natsUrl, "--creds", creds, "node", "up", "--config", config],
    logPath: join(paths.logs, "hub-node.log"),
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    detached: true,
  });
  return { pid, marker: config, started_at: new Date().toISOString(), ...StopPolicies.hubNode };
}

async function waitForHubNode(hub: NatsConnection, hubKey: string, pid: number, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid))
      throw new StackError("START_FAILED", `the hub's Nex node (pid ${pid}) exited (log: hub-node.log)`);
    const node = (await pingNodes(hub, 500).catch(() => [])).find((n) => n.tags?.["natster.account"] === hubKey);
    if (node) return node.node_id;
    await sleep(200);
  }
  throw new StackError(
    "START_FAILED",
    `the hub's Nex node did not answer $NEX.PING within ${timeoutMs} ms (log: hub-node.log)`,
  );
}
