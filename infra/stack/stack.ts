import type { NatsConnection } from "@nats-io/nats-core";
import { connectWithCreds, requestEnvelope } from "@natster/node-kit";
import { Subjects } from "@natster/protocol";
import { mkdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import {
  credsText,
  ensureStackIdentity,
  readStackCreds,
  readClientInfo,
  writeClientInfo,
  type StackClientInfo,
  type StackIdentity,
  clientInfoPath,
  stackDir,
  stackPaths,
} from "@natster/identity";
import {
  DEFAULT_CLUSTER_PORT,
  duplicatePorts,
  jetStreamReplicas,
  nexNodeId,
  stackLayout,
  type ClusterPorts,
  type StackLayout,
} from "./cluster-layout.ts";
import { checkLayoutRecord, readLayoutRecord } from "./layout-file.ts";
import { pushBaseAccounts } from "./nats-admin.ts";
import { findNatsServer, natsServerVersion } from "./nats-binary.ts";
import { ensureServers, serverUrls } from "./nats-servers.ts";
import { byStopRank, isOurs, readPids, StopPolicies, writePids, type PidFile } from "./pid-file.ts";
import { advertisedHost, advertisedUrl, configuredListenHost, DEFAULT_LISTEN } from "./listen.ts";
import { defaultGlobalConfig, provisionGlobal } from "../global/provision.ts";
import { buildArtifacts, deployStack } from "./deploy-stack.ts";
import { HUB_CATALOG } from "./hub.ts";
import { ensureHubSide, HUB_NODE } from "./hub-node.ts";
import { spawnNexNode, waitForNexNodes } from "./nex-component.ts";
import { NEX_VERSION } from "nex-node";
import { descendants, stopGroupLeftovers, stopTree } from "./process-tree.ts";
import { REAL_NEX_VERSION, realNexLogPath, spawnRealNexNode } from "./real-nex-component.ts";
import { PoolExhausted, realNexDeathCause, waitForWarmPool } from "./real-nex-pool.ts";
import { readVersions, recordVersions, type NexKind, type StackVersions } from "./stack-versions.ts";
import { chooseWebPort, spawnWebServer, WEB_ENTRY } from "./web-component.ts";
import { isAlive, stopPid } from "./processes.ts";
import type { StackPorts } from "./server-process.ts";
import { StackError } from "./stack-error.ts";
import { waitForAccountJetStream } from "./account-jetstream.ts";
import { waitForClusterReady } from "./cluster-ready.ts";

type Env = Record<string, string | undefined>;
export type StackOptions = {
  env: Env;
  ports: StackPorts & { cluster?: number };
  webPort?: number;
  host?: string;
  log?: (line: string) => void;
  /** Which Nex node runs the global service: the embedded local node (default) or real Nex 0.x. */
  nex?: NexKind;
  /** How many nats-servers (default 1); 3 makes a cluster with R3 JetStream and two global Nex nodes. */
  cluster?: number;
};
export type ComponentStatus = { name: string; pid: number; running: boolean };
export type StackInfo = StackClientInfo & {
  stack_dir: string;
  client_info: string;
  cluster: { servers: number; replicas: number };
  components: ComponentStatus[];
} & Partial<StackVersions>;

const globalAccounts = (identity: StackIdentity) => ({
  hub: identity.accounts.HUB.public_key,
  public: identity.accounts.NATSTER_PUBLIC.public_key,
  global: identity.accounts.NATSTER_GLOBAL.public_key,
});

/** Starts the nats-server(s) and the stack's workloads, detached, and leaves them ready. Idempotent: starts only what does not run. */
export async function stackUp(opts: StackOptions): Promise<StackInfo & { already_running: boolean }> {
  const host = opts.host ?? DEFAULT_LISTEN;
  const advertised = advertisedHost(host);
  const forClients = (url: string) => advertisedUrl(url, host, advertised);
  const log = opts.log ?? (() => undefined);
  const dir = stackDir(opts.env);
  const paths = stackPaths(dir);
  mkdirSync(paths.run, { recursive: true });
  mkdirSync(paths.logs, { recursive: true });
  mkdirSync(paths.conf, { recursive: true });
  const size = opts.cluster ?? 1;
  const nexKind = opts.nex ?? "local";
  if (size > 1 && nexKind === "real") {
    throw new StackError(
      "CLUSTER_MISMATCH",
      "--cluster runs the global service on local Nex nodes; --nex real runs on a single server only",
    );
  }
  const layout = stackLayout(dir, size, {
    ...opts.ports,
    cluster: opts.ports.cluster ?? DEFAULT_CLUSTER_PORT,
  } satisfies ClusterPorts);
  const clash = duplicatePorts(layout);
  if (clash.length > 0) {
    throw new StackError(
      "BAD_PORTS",
      `the ${size} servers would bind port(s) ${clash.join(", ")} twice: server i uses every base port + 10 × i, so space --port, --http-port, --ws-port and --cluster-port apart`,
    );
  }
  checkLayoutRecord(dir, size);
  const pids = readPids(paths.pids);
  const record = (id: string, p: PidFile[string]) => {
    pids[id] = p;
    writePids(paths.pids, pids);
  };
  const running = layout.servers.filter((s) => pids[s.id] !== undefined && isOurs(pids[s.id] as PidFile[string]));
  const [first] = running;
  const boundTo = first ? configuredListenHost(readFileSync(first.configPath, "utf8")) : host;
  if (boundTo !== host) {
    throw new StackError(
      "BAD_LISTEN",
      `the stack already runs, bound to ${boundTo ?? "another address"}, not ${host}: run \`natster down\` first to move it`,
    );
  }
  if (running.length === 0 && !findNatsServer(opts.env)) {
    throw new StackError(
      "NATS_SERVER_MISSING",
      "nats-server not found: run `npm run up` (it installs it) or set NATS_SERVER_BIN",
    );
  }
  const identity = await ensureStackIdentity(dir, { replicas: jetStreamReplicas(size) });
  const { started } = await ensureServers({ dir, identity, layout, host, pids, record });
  if (started.length > 0) {
    const bin = findNatsServer() ?? "nats-server";
    const version = natsServerVersion(bin) ?? "unknown";
    recordVersions(paths.run, { nats_server: { bin, version } });
    for (const s of started) log(`nats-server ${version} started as ${s.serverName} (pid ${pids[s.id]?.pid}, ${bin})`);
  }
  const urls = layout.servers.map((s) => serverUrls(s, host));
  /** Every server, comma-separated: what the stack's own clients, nodes and workloads connect to, so each fails over by itself. */
  const servers = urls.map((u) => u.url).join(",");
  if (size > 1)
    await waitForClusterReady(
      urls.map((u) => u.httpUrl),
      started.length > 0 ? log : () => undefined,
    );

  const sys = await connectWithCreds(servers, readStackCreds(dir, "sys"), "natster-up");
  try {
    await pushBaseAccounts(sys, identity);
  } finally {
    await sys.close();
  }
  const infoPath = clientInfoPath(opts.env);
  const webRunning = pids.web !== undefined && isOurs(pids.web);
  const previousWeb = readClientInfo(infoPath)?.web_url;
  const [primary] = layout.servers;
  const webUrl =
    webRunning && previousWeb
      ? previousWeb
      : `http://${advertised}:${await chooseWebPort(host, opts.webPort, primary?.ports.client ?? opts.ports.client)}`;
  const replicas = jetStreamReplicas(size);
  const global = await connectWithCreds(servers, readStackCreds(dir, "global"), "natster-up");
  try {
    await waitForAccountJetStream(global);
    await provisionGlobal(global, defaultGlobalConfig(globalAccounts(identity), webUrl), { replicas });
    for (let attempt = 1; ; attempt++) {
      try {
        await ensureGlobalNodes({ global, dir, layout, nexKind, servers, replicas, pids, record, log });
        break;
      } catch (e) {
        // Real Nex 0.3.0-rc1 can die while it takes deploys (its own map race, or an agent's failed first
        // handshake on a loaded machine), or live on with a warm pool it can no longer deploy to
        // (real-nex-pool.ts): stop it in that case, start it again, as a supervisor would, and deploy
        // what is missing. A node that lives and refused, or one that keeps failing, fails `up`.
        const node = pids[nexNodeId(0)];
        if (e instanceof PoolExhausted && node && attempt < MAX_REAL_NEX_RESTARTS) {
          await stopTree(node.pid, "SIGTERM", 10_000);
          log(`the real Nex node can deploy no more (${e.message}); starting it again`);
          continue;
        }
        const cause = nexKind === "real" ? deadRealNodeCause(dir, pids) : undefined;
        if (cause === undefined || attempt >= MAX_REAL_NEX_RESTARTS) throw e;
        log(`the real Nex node died (${cause}); starting it again`);
      }
    }
    await waitForGlobalService(global, identity.accounts.HUB.public_key);
    const hub = pids[HUB_NODE];
    if (hub && !isOurs(hub))
      for (const w of await stopGroupLeftovers(hub.pid))
        log(`stopped ${w.comm} (pid ${w.pid}), left running by the dead ${HUB_NODE}`);
    const hubSide = await ensureHubSide(dir, identity, servers, pids[HUB_NODE], (p) => record(HUB_NODE, p));
    if (hubSide.servedNow) log(`serving the '${HUB_CATALOG}' demo catalog on the hub's own Nex node, as HUB`);
  } finally {
    await global.close();
  }
  await waitForAuthority(servers, readStackCreds(dir, "public"));

  const natsUrls = urls.map((u) => forClients(u.url));
  const wsUrls = urls.map((u) => forClients(u.wsUrl));
  const client: StackClientInfo = {
    nats_url: natsUrls[0] ?? "",
    nats_urls: natsUrls,
    ws_url: wsUrls[0] ?? "",
    ws_urls: wsUrls,
    http_url: forClients(urls[0]?.httpUrl ?? ""),
    operator: identity.operator.public_key,
    accounts: {
      global: identity.accounts.NATSTER_GLOBAL.public_key,
      hub: identity.accounts.HUB.public_key,
      public: identity.accounts.NATSTER_PUBLIC.public_key,
    },
    public_creds: credsText(readStackCreds(dir, "public")),
    web_url: webUrl,
  };
  writeClientInfo(infoPath, client);
  if (!webRunning) {
    log("building and serving the web app");
    await spawnWebServer(dir, host, Number(new URL(webUrl).port), infoPath, (pid) =>
      record("web", { pid, marker: WEB_ENTRY, started_at: new Date().toISOString(), ...StopPolicies.webServer }),
    );
  }
  return {
    ...client,
    ...readVersions(paths.run),
    stack_dir: dir,
    client_info: infoPath,
    cluster: { servers: size, replicas },
    components: componentStatus(readPids(paths.pids)),
    already_running: started.length === 0 && running.length === layout.servers.length,
  };
}

const MAX_REAL_NEX_RESTARTS = 3;

/** Undefined while the real node runs; else why it died (realNexDeathCause). */
function deadRealNodeCause(dir: string, pids: PidFile): string | undefined {
  const node = pids[nexNodeId(0)];
  if (node !== undefined && isOurs(node)) return undefined;
  let text = "";
  try {
    text = readFileSync(realNexLogPath(dir), "utf8");
  } catch {
    // no log: the cause says so
  }
  return realNexDeathCause(text);
}

/**
 * Starts every global Nex node of the layout that does not run (one; two with a cluster) and
 * deploys to each every Nexfile it does not run yet.
 */
async function ensureGlobalNodes(o: {
  global: NatsConnection;
  dir: string;
  layout: StackLayout;
  nexKind: NexKind;
  servers: string;
  replicas: number;
  pids: PidFile;
  record: (id: string, p: PidFile[string]) => void;
  log: (line: string) => void;
}): Promise<void> {
  const runDir = stackPaths(o.dir).run;
  const missing = o.layout.nexNodes.filter((id) => !o.pids[id] || !isOurs(o.pids[id]));
  const [firstNode] = o.layout.nexNodes;
  if (firstNode && !missing.includes(firstNode) && (readVersions(runDir).nex?.kind ?? "local") !== o.nexKind) {
    throw new StackError(
      "NEX_KIND_MISMATCH",
      `the stack already runs the ${readVersions(runDir).nex?.kind ?? "local"} Nex node; run natster down first to switch to --nex ${o.nexKind}`,
    );
  }
  if (missing.length > 0) {
    o.log("building function bundles and workload artifacts");
    await buildArtifacts();
  }
  for (const id of missing) {
    const dead = o.pids[id];
    if (dead)
      for (const w of await stopGroupLeftovers(dead.pid))
        o.log(`stopped ${w.comm} (pid ${w.pid}), left running by the dead ${id}`);
    const started =
      o.nexKind === "real"
        ? { ...(await spawnRealNexNode(o.dir, o.servers)), tree: true }
        : spawnNexNode(o.dir, o.servers, id);
    o.record(id, { ...started, started_at: new Date().toISOString(), ...StopPolicies.globalNode });
    recordVersions(runDir, {
      nex: o.nexKind === "real" ? { kind: "real", version: REAL_NEX_VERSION } : { kind: "local", version: NEX_VERSION },
    });
    o.log(
      `${o.nexKind === "real" ? `real Nex ${REAL_NEX_VERSION} node (nex node up)` : `local nex node ${id}`} started (pid ${started.pid})`,
    );
  }
  const nodeIds = await waitForNexNodes(o.global, o.layout.nexNodes);
  for (const [nodeIndex, id] of o.layout.nexNodes.entries()) {
    const nodeId = nodeIds.get(id) ?? "";
    const alive = () => {
      const p = o.pids[id];
      return p !== undefined && isOurs(p);
    };
    const beforeEachDeploy =
      o.nexKind === "real" ? () => waitForWarmPool(realNexLogPath(o.dir), { isAlive: alive }) : undefined;
    await deployStack(
      o.global,
      o.dir,
      { nodeId, nodeIndex, servers: o.servers, replicas: o.replicas, beforeEachDeploy },
      o.log,
    );
  }
}

async function waitForAuthority(servers: string, publicCreds: Uint8Array, timeoutMs = 20_000): Promise<void> {
  const nc = await connectWithCreds(servers, publicCreds, "natster-up-probe");
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await requestEnvelope(nc, Subjects.authority.nonce, undefined, 1000);
        return;
      } catch (e) {
        if (Date.now() > deadline)
          throw new StackError("START_FAILED", `the account authority did not answer: ${(e as Error).message}`);
        await sleep(200);
      }
    }
  } finally {
    await nc.close();
  }
}

/** The functions answer once deployed: ask `stats` as if the hub called (the caller token is any account key). */
async function waitForGlobalService(global: NatsConnection, anyAccount: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await requestEnvelope(global, Subjects.globalFromCaller(anyAccount, "stats"), undefined, 1000);
      return;
    } catch (e) {
      if (Date.now() > deadline)
        throw new StackError("START_FAILED", `the global service did not answer: ${(e as Error).message}`);
      await sleep(200);
    }
  }
}

/** Stops, by PID, exactly what `natster up` started for this stack dir (every server and node), and nothing else. */
export async function stackDown(env: Env): Promise<ComponentStatus[]> {
  const paths = stackPaths(stackDir(env));
  const pids = readPids(paths.pids);
  // Users of the servers first, the servers last: each record declares its rank (StopPolicies).
  const inOrder = Object.entries(pids).sort(([, a], [, b]) => byStopRank(a, b));
  const stopped: ComponentStatus[] = [];
  for (const [name, p] of inOrder) {
    if (isOurs(p)) {
      // Real Nex's agents (and their workloads) are children of the node: stop the node, then whatever of them is left.
      const signal = p.stop_signal ?? "SIGINT";
      const children = p.tree ? await stopTree(p.pid, signal, 10_000) : (await stopPid(p.pid, signal, 10_000), []);
      stopped.push(
        { name, pid: p.pid, running: false },
        ...children.map((c) => ({ name: c.comm, pid: c.pid, running: false })),
      );
    } else {
      // It died (a SIGKILLed node): what it started may still run in its process group.
      for (const c of await stopGroupLeftovers(p.pid)) stopped.push({ name: c.comm, pid: c.pid, running: false });
    }
    delete pids[name];
    writePids(paths.pids, pids);
  }
  return stopped;
}

export function stackStatus(env: Env): ComponentStatus[] {
  return componentStatus(readPids(stackPaths(stackDir(env)).pids));
}

/** The nats-server binary and version, which Nex node (real or local) with its version, and how many servers, as `up` recorded them. */
export function stackVersions(env: Env): Partial<StackVersions> & { cluster?: { servers: number; replicas: number } } {
  const dir = stackDir(env);
  const servers = readLayoutRecord(dir)?.servers;
  return {
    ...readVersions(stackPaths(dir).run),
    ...(servers ? { cluster: { servers, replicas: jetStreamReplicas(servers) } } : {}),
  };
}

const componentStatus = (pids: PidFile): ComponentStatus[] =>
  Object.entries(pids).flatMap(([name, p]) => {
    const running = isOurs(p);
    const agents = p.tree && running ? descendants(p.pid).filter((c) => c.comm === "nex-agent" && isAlive(c.pid)) : [];
    return [{ name, pid: p.pid, running }, ...agents.map((a) => ({ name: a.comm, pid: a.pid, running: true }))];
  });
