import type { NatsConnection } from "@nats-io/nats-core";
import { NatsterError } from "@natster/protocol";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pingNode, pingNodes } from "nex-node";
import { isOurs, type TrackedProcess } from "../../../infra/stack/pid-file.ts";
import { isAlive, spawnLogged, stopPid } from "../../../infra/stack/processes.ts";
import { repoRoot } from "@natster/node-kit";
import { mintUserCreds } from "../accounts/user-creds.ts";
import { loadSigningKey, writeSecretFile, type NatsterContext } from "../context/context-store.ts";
import { userNodeConfig, userNodePermissions } from "../../../infra/deploy/account-node.ts";
import { userDeployKeys, userNodePaths, type UserNodePaths } from "./node-paths.ts";
import { withStartLock } from "./start-lock.ts";

/** What `<NATSTER_HOME>/node/<context>/state.json` records about the running node. */
export type UserNodeState = TrackedProcess & { node_id?: string; nats_url: string; account: string; log: string };

export type UserNodeTarget = {
  home: string;
  context: string;
  ctx: NatsterContext;
  natsUrl: string;
  /** A connection of the same account (the CLI's own), to see the node answer. */
  control: NatsConnection;
};

const START_TIMEOUT_MS = 60_000;

export function readNodeState(paths: UserNodePaths): UserNodeState | undefined {
  return existsSync(paths.state) ? (JSON.parse(readFileSync(paths.state, "utf8")) as UserNodeState) : undefined;
}

/** The node this home started, if its process still runs. */
export function runningNode(paths: UserNodePaths): UserNodeState | undefined {
  const state = readNodeState(paths);
  return state && isOurs(state) ? state : undefined;
}

/** The context's node, started when none runs (or when it runs against another server or no longer answers). */
export async function ensureUserNode(
  t: UserNodeTarget,
): Promise<{ state: UserNodeState & { node_id: string }; started: boolean }> {
  const paths = userNodePaths(t.home, t.context);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  return withStartLock(paths.lock, async () => {
    const running = runningNode(paths);
    if (running?.node_id && running.nats_url === t.natsUrl && (await answers(t.control, running.node_id))) {
      return { state: { ...running, node_id: running.node_id }, started: false };
    }
    if (running) await stopPid(running.pid, "SIGINT", 10_000);
    return { state: await startUserNode(t, paths), started: true };
  });
}

/** Stops the context's node by PID (SIGINT: it stops its workloads first). */
export async function stopUserNode(home: string, context: string): Promise<UserNodeState | undefined> {
  const paths = userNodePaths(home, context);
  const state = readNodeState(paths);
  if (!state) return undefined;
  const ours = isOurs(state);
  if (ours) await stopPid(state.pid, "SIGINT", 10_000);
  rmSync(paths.state, { force: true });
  return ours ? state : undefined;
}

async function startUserNode(t: UserNodeTarget, paths: UserNodePaths): Promise<UserNodeState & { node_id: string }> {
  const account = t.ctx.account_public_key;
  const signing = loadSigningKey(t.home, t.context);
  // Minted here with the account's signing key; it never leaves this machine.
  const { creds } = await mintUserCreds(account, signing, `${t.ctx.account_name}-nex-node`, userNodePermissions());
  writeSecretFile(paths.creds, creds);
  const instance = randomUUID();
  const issuer = userDeployKeys(t.home, t.context).issuer.getPublicKey();
  writeFileSync(paths.config, JSON.stringify(userNodeConfig(account, instance, issuer), null, 2) + "\n", {
    mode: 0o600,
  });
  const pid = spawnLogged({
    command: join(repoRoot, "bin/nex"),
    args: ["-s", t.natsUrl, "--creds", paths.creds, "node", "up", "--config", paths.config],
    logPath: paths.log,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    detached: true,
  });
  const state: UserNodeState = {
    pid,
    marker: paths.config,
    started_at: new Date().toISOString(),
    nats_url: t.natsUrl,
    account,
    log: paths.log,
  };
  // Recorded before the wait, so `natster node down` can stop it even if this command dies waiting.
  writeState(paths, state);
  const nodeId = await waitForInstance(t.control, instance, pid, paths.log);
  const ready = { ...state, node_id: nodeId };
  writeState(paths, ready);
  return ready;
}

function writeState(paths: UserNodePaths, state: UserNodeState): void {
  writeFileSync(`${paths.state}.tmp`, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
  renameSync(`${paths.state}.tmp`, paths.state);
}

const answers = (nc: NatsConnection, nodeId: string) =>
  pingNode(nc, nodeId, 2_000).then(
    () => true,
    () => false,
  );

async function waitForInstance(nc: NatsConnection, instance: string, pid: number, log: string): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!isAlive(pid))
      throw new NatsterError("NODE_UNAVAILABLE", `your Nex node (pid ${pid}) exited while starting: ${lastLines(log)}`);
    const nodes = await pingNodes(nc, 500).catch(() => []);
    const mine = nodes.find((n) => n.tags?.["natster.instance"] === instance);
    if (mine) return mine.node_id;
    await sleep(200);
  }
  throw new NatsterError(
    "NODE_UNAVAILABLE",
    `your Nex node (pid ${pid}) did not answer $NEX.PING within ${START_TIMEOUT_MS} ms (log: ${log})`,
  );
}

function lastLines(path: string, n = 5): string {
  try {
    return readFileSync(path, "utf8").trim().split("\n").slice(-n).join(" | ");
  } catch {
    return `(no log at ${path})`;
  }
}
