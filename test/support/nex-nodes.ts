import type { NatsConnection } from "@nats-io/nats-core";
import { createAccount, createCurve, type KeyPair } from "@nats-io/nkeys";
import { parseCredsText } from "@natster/node-kit";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { deployWorkload, pingNodes, uploadArtifact, workloadPing, type WorkloadType } from "../../infra/nex/index.ts";
import { startNexNode } from "../../infra/nex/node.ts";
import { deployWithRetry } from "../../infra/stack/deploy-retry.ts";
import { freePort } from "../../infra/stack/ports.ts";
import { stopTree } from "../../infra/stack/process-tree.ts";
import { isAlive, spawnLogged } from "../../infra/stack/processes.ts";
import { REAL_NEX_LOGLEVEL, realNexBinaries, realNodeConfig } from "../../infra/stack/real-nex-component.ts";
import { waitForWarmPool } from "../../infra/stack/real-nex-pool.ts";
import type { TestStack } from "./test-stack.ts";

export type NexKind = "local" | "real";
export const NEX_KINDS: readonly NexKind[] = ["local", "real"];
export const CONFORMANCE_NS = "conformance";

/** What a request got: the reply's exact bytes, or nothing at all. */
export type Outcome = { reply: string } | { noReply: true };

/** A Nex node of either kind on a test stack, driven only through the 0.x control protocol and NATS. */
export type TestNexNode = {
  kind: NexKind;
  nodeId: string;
  /** The global user's connection: it deploys, and it sends the requests. */
  nc: NatsConnection;
  /** Uploads and deploys a workload; resolves with the node's error text when the node refuses it. */
  deploy(
    name: string,
    bytes: Uint8Array,
    opts: { type: WorkloadType; triggerSubjects?: string[]; signedBy?: KeyPair },
  ): Promise<{ ok: true } | { ok: false; error: string }>;
  /** A request whose reply bytes are kept as Latin-1 text (byte-exact); no reply within `timeoutMs` is an outcome too. */
  request(subject: string, body: Uint8Array, timeoutMs?: number): Promise<Outcome>;
};

const globalCreds = (stack: TestStack) => readFileSync(join(stack.dir, "creds", "global.creds"));

/** Starts a node of `kind` as the stack's global user; it takes deploys signed by `issuer` only (real Nex's valid_issuers). */
export async function startTestNexNode(stack: TestStack, kind: NexKind, issuer: KeyPair = createAccount()): Promise<TestNexNode> {
  const nc = await stack.connect("global", `nex-${kind}`);
  const { nodeId, beforeDeploy } =
    kind === "local" ? { nodeId: await startLocal(stack, nc, issuer.getPublicKey()), beforeDeploy: async () => {} } : await startReal(stack, nc, issuer.getPublicKey());
  const publisher: KeyPair = createCurve();
  return {
    kind,
    nodeId,
    nc,
    async deploy(name, bytes, opts) {
      const uploaded = await uploadArtifact(nc, name, bytes);
      const deploy = async () => {
        await beforeDeploy();
        const { signedBy, ...rest } = opts;
        return deployWorkload(nc, { namespace: CONFORMANCE_NS, nodeId, issuer: signedBy ?? issuer, publisher, name, location: uploaded.location, hash: uploaded.hash, ...rest });
      };
      const running = async () => new Set((await workloadPing(nc, CONFORMANCE_NS, undefined, 1000)).flatMap((p) => p.running_machines.map((m) => m.name)));
      try {
        await deployWithRetry(deploy, running, name);
        return { ok: true };
      } catch (e) {
        return { ok: false, error: (e as Error).message };
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
  const node = await startNexNode({ nc, creds: globalCreds(stack), servers: stack.url, config: { workload_types: ["native", "v8"], valid_issuers: [issuer] } });
  stack.defer(() => node.stop());
  return node.nodeId;
}

/** `nex node up` (real Nex 0.3.0-rc1, no sandbox) with the config `natster up --nex real` uses. */
async function startReal(stack: TestStack, nc: NatsConnection, issuer: string): Promise<{ nodeId: string; beforeDeploy: () => Promise<void> }> {
  const bins = realNexBinaries();
  const home = join(stack.dir, "nex");
  mkdirSync(join(home, "resources"), { recursive: true });
  const { jwt, seed } = parseCredsText(globalCreds(stack).toString("utf8"));
  const config = join(stack.dir, "real-nex-node.json");
  writeFileSync(config, JSON.stringify(realNodeConfig(stack.dir, await freePort(), { nats_url: stack.url, nats_user_jwt: jwt, nats_user_seed: seed }, [issuer])));
  const logPath = join(stack.dir, "real-nex.log");
  const pid = spawnLogged({
    command: bins.nex,
    args: ["-s", stack.url, "--creds", join(stack.dir, "creds", "global.creds"), "node", "up", "--config", config],
    logPath,
    env: { PATH: `${bins.agent.slice(0, bins.agent.lastIndexOf("/"))}:/usr/bin:/bin`, HOME: home, NEX_LOGLEVEL: REAL_NEX_LOGLEVEL },
    detached: false,
    cwd: home,
  });
  stack.defer(() => stopTree(pid, "SIGINT", 10_000));
  for (let i = 0; i < 600; i++) {
    const mine = (await pingNodes(nc, 500).catch(() => [])).find((n) => n.tags?.["natster.nex"] === "real");
    if (mine) return { nodeId: mine.node_id, beforeDeploy: () => waitForWarmPool(logPath, { isAlive: () => isAlive(pid) }) };
    await sleep(100);
  }
  throw new Error(`the real Nex node did not answer $NEX.PING (log: ${logPath})`);
}
