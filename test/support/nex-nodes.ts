import type { NatsConnection } from "@nats-io/nats-core";
import { createAccount, createCurve, type KeyPair } from "@nats-io/nkeys";
import { parseCredsText } from "@natster/node-kit";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { deployWorkload, pingNodes, uploadArtifact, workloadPing, type WorkloadType, startNexNode } from "nex-node";
import { deployWithRetry } from "../../infra/stack/deploy-retry.ts";
import { freePort } from "../../infra/stack/ports.ts";
import { stopGroupLeftovers, stopTree } from "../../infra/stack/process-tree.ts";
import { isAlive, spawnLogged } from "../../infra/stack/processes.ts";
import { REAL_NEX_LOGLEVEL, realNexBinaries, realNodeConfig } from "../../infra/stack/real-nex-component.ts";
import { PoolExhausted, realNexDeathCause, waitForWarmPool } from "../../infra/stack/real-nex-pool.ts";
import type { TestStack } from "./test-stack.ts";

export type NexKind = "local" | "real";
export const NEX_KINDS: readonly NexKind[] = ["local", "real"];
export const CONFORMANCE_NS = "conformance";

/** What a request got: the reply's exact bytes, or nothing at all. */
export type Outcome = { reply: string } | { noReply: true };

/** A Nex node of either kind on a test stack, driven only through the 0.x control protocol and NATS. */
export type TestNexNode = {
  kind: NexKind;
  /** The node's id (a new one if real Nex had to be restarted after its upstream race). */
  readonly nodeId: string;
  /** The global user's connection: it deploys, and it sends the requests. */
  nc: NatsConnection;
  /** Uploads and deploys a workload; resolves with the node's error text when the node refuses it. */
  deploy(name: string, bytes: Uint8Array, opts: DeployOpts): Promise<{ ok: true } | { ok: false; error: string }>;
  /** A request whose reply bytes are kept as Latin-1 text (byte-exact); no reply within `timeoutMs` is an outcome too. */
  request(subject: string, body: Uint8Array, timeoutMs?: number): Promise<Outcome>;
};

const globalCreds = (stack: TestStack) => readFileSync(join(stack.dir, "creds", "global.creds"));

/** Starts a node of `kind` as the stack's global user; it takes deploys signed by `issuer` only (real Nex's valid_issuers). */
export async function startTestNexNode(
  stack: TestStack,
  kind: NexKind,
  issuer: KeyPair = createAccount(),
): Promise<TestNexNode> {
  const nc = await stack.connect("global", `nex-${kind}`);
  const node: RunningNode =
    kind === "local"
      ? {
          nodeId: await startLocal(stack, nc, issuer.getPublicKey()),
          beforeDeploy: async () => {},
          deathCause: () => Promise.resolve(undefined),
          stopLeftovers: async () => {},
        }
      : await startReal(stack, nc, issuer.getPublicKey(), 1);
  let current = node;
  let restarts = 0;
  const publisher: KeyPair = createCurve();
  const deployedSoFar: { name: string; bytes: Uint8Array; opts: DeployOpts }[] = [];
  const deployOnce = async (name: string, bytes: Uint8Array, opts: DeployOpts) => {
    const uploaded = await uploadArtifact(nc, name, bytes);
    const deploy = async () => {
      await current.beforeDeploy();
      const { signedBy, ...rest } = opts;
      return deployWorkload(nc, {
        namespace: CONFORMANCE_NS,
        nodeId: current.nodeId,
        issuer: signedBy ?? issuer,
        publisher,
        name,
        location: uploaded.location,
        hash: uploaded.hash,
        ...rest,
      });
    };
    const running = async () =>
      new Set(
        (await workloadPing(nc, CONFORMANCE_NS, undefined, 1000)).flatMap((p) => p.running_machines.map((m) => m.name)),
      );
    await deployWithRetry(deploy, running, name);
  };
  return {
    kind,
    get nodeId() {
      return current.nodeId;
    },
    nc,
    async deploy(name, bytes, opts) {
      for (;;) {
        try {
          await deployOnce(name, bytes, opts);
          deployedSoFar.push({ name, bytes, opts });
          return { ok: true };
        } catch (e) {
          // Real Nex 0.3.0-rc1 can die during a deploy (its own map race, or an agent's failed first
          // handshake on a loaded machine): like a supervisor, start it again with what it ran, and try
          // this deploy once more. A node that dies every time still fails; one that answers, answered.
          const cause = await current.deathCause(e as Error);
          if (cause === undefined) return { ok: false, error: (e as Error).message };
          if (restarts >= MAX_REAL_NEX_RESTARTS)
            return { ok: false, error: `${(e as Error).message} (the real Nex node died: ${cause})` };
          restarts++;
          await current.stopLeftovers();
          process.stderr.write(
            `real Nex node died during a deploy (${cause}); restart ${restarts}, redeploying ${deployedSoFar.length} workloads\n`,
          );
          current = await startReal(stack, nc, issuer.getPublicKey(), restarts + 1);
          for (const d of deployedSoFar) await deployOnce(d.name, d.bytes, d.opts);
        }
      }
    },
    async request(subject, body, timeoutMs = 8_000) {
      try {
        const reply = await nc.request(subject, body, { timeout: timeoutMs });
        return { reply: Buffer.from(reply.data).toString("latin1") };
      } catch (e) {
        if ((e as Error).name === "TimeoutError" || /timeout/i.test((e as Error).message)) return { noReply: true };
        throw e;
      }
    },
  };
}

async function startLocal(stack: TestStack, nc: NatsConnection, issuer: string): Promise<string> {
  const node = await startNexNode({
    nc,
    creds: globalCreds(stack),
    servers: stack.url,
    config: { workload_types: ["native", "v8"], valid_issuers: [issuer] },
  });
  stack.defer(() => node.stop());
  return node.nodeId;
}

/** `nex node up` (real Nex 0.3.0-rc1, no sandbox) with the config `natster up --nex real` uses. */
type DeployOpts = { type: WorkloadType; triggerSubjects?: string[]; signedBy?: KeyPair };

/** A started node: its id, the wait before a deploy, and why it died during a failed deploy, if it did. */
type RunningNode = {
  nodeId: string;
  beforeDeploy: () => Promise<void>;
  /** Undefined while the node lives (its answer was a refusal); else the map race, or the end of its log. */
  deathCause: (deployError: Error) => Promise<string | undefined>;
  /** Stops what a dead node left running (its nex-agents), by PID. */
  stopLeftovers: () => Promise<void>;
};

const MAX_REAL_NEX_RESTARTS = 3;
/** A Go process that dies writes every goroutine's stack first: a deploy's timeout can come before its exit. */
const DYING_GRACE_MS = 5_000;
/** Errors a node gives only by not answering; any other error is its answer. */
const NO_ANSWER = /timeout|no responders/i;

async function startReal(
  stack: TestStack,
  nc: NatsConnection,
  issuer: string,
  generation: number,
): Promise<RunningNode> {
  const bins = realNexBinaries();
  // A restarted node gets a folder of its own: nothing of the dead one's state is reused.
  const base = generation === 1 ? stack.dir : join(stack.dir, `real-nex-${generation}`);
  const home = join(base, "nex");
  mkdirSync(join(home, "resources"), { recursive: true });
  const { jwt, seed } = parseCredsText(globalCreds(stack).toString("utf8"));
  const config = join(base, "real-nex-node.json");
  const nodeConfig = realNodeConfig(
    base,
    await freePort(),
    { nats_url: stack.url, nats_user_jwt: jwt, nats_user_seed: seed },
    [issuer],
  );
  writeFileSync(
    config,
    JSON.stringify({ ...nodeConfig, tags: { ...nodeConfig.tags, "natster.generation": String(generation) } }),
  );
  const logPath = join(base, "real-nex.log");
  const pid = spawnLogged({
    command: bins.nex,
    args: ["-s", stack.url, "--creds", join(stack.dir, "creds", "global.creds"), "node", "up", "--config", config],
    logPath,
    env: {
      PATH: `${bins.agent.slice(0, bins.agent.lastIndexOf("/"))}:/usr/bin:/bin`,
      HOME: home,
      NEX_LOGLEVEL: REAL_NEX_LOGLEVEL,
    },
    // Its own process group: if it dies, its nex-agents are still found (and stopped) by that group.
    detached: true,
    cwd: home,
  });
  stack.defer(async () => {
    await stopTree(pid, "SIGINT", 10_000);
    await stopGroupLeftovers(pid);
  });
  for (let i = 0; i < 600; i++) {
    const mine = (await pingNodes(nc, 500).catch(() => [])).find(
      (n) => n.tags?.["natster.nex"] === "real" && n.tags?.["natster.generation"] === String(generation),
    );
    if (mine) {
      const deathCause = async (deployError: Error) => {
        // Alive, but it can deploy no more (real-nex-pool.ts): stopped here, so it is restarted like a dead one.
        if (deployError instanceof PoolExhausted) {
          await stopTree(pid, "SIGTERM", 10_000);
          return deployError.message;
        }
        if (!NO_ANSWER.test(deployError.message) && isAlive(pid)) return undefined;
        for (let waited = 0; isAlive(pid) && waited < DYING_GRACE_MS; waited += 100) await sleep(100);
        if (isAlive(pid)) return undefined;
        return realNexDeathCause(readFileSync(logPath, "utf8"));
      };
      const stopLeftovers = async () => void (await stopGroupLeftovers(pid));
      return {
        nodeId: mine.node_id,
        beforeDeploy: () => waitForWarmPool(logPath, { isAlive: () => isAlive(pid) }),
        deathCause,
        stopLeftovers,
      };
    }
    await sleep(100);
  }
  throw new Error(`the real Nex node did not answer $NEX.PING (log: ${logPath})`);
}
