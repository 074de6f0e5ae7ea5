import type { NatsConnection } from "@nats-io/nats-core";
import { connectWithCreds, requestEnvelope } from "@natster/node-kit";
import { Subjects } from "@natster/protocol";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { credsText, ensureStackIdentity, readStackCreds } from "./bootstrap.ts";
import { readClientInfo, writeClientInfo, type StackClientInfo } from "./client-info.ts";
import type { StackIdentity } from "./identity-model.ts";
import { pushBaseAccounts } from "./nats-admin.ts";
import { findNatsServer, natsServerVersion } from "./nats-binary.ts";
import { clientInfoPath, stackDir, stackPaths } from "./paths.ts";
import { isOurs, readPids, writePids, type PidFile } from "./pid-file.ts";
import { advertisedHost, advertisedUrl, configuredListenHost, DEFAULT_LISTEN } from "./listen.ts";
import { isPortFree } from "./ports.ts";
import { defaultGlobalConfig, provisionGlobal } from "../global/provision.ts";
import { buildArtifacts, deployStack } from "./deploy-stack.ts";
import { HUB_CATALOG } from "./hub.ts";
import { ensureHubSide, HUB_NODE } from "./hub-node.ts";
import { NEX_MARKER, spawnNexNode, waitForNexNode } from "./nex-component.ts";
import { NEX_VERSION } from "../nex/limits.ts";
import { descendants, stopTree } from "./process-tree.ts";
import { REAL_NEX_VERSION, realNexLogPath, spawnRealNexNode } from "./real-nex-component.ts";
import { waitForWarmPool } from "./real-nex-pool.ts";
import { readVersions, recordVersions, type NexKind, type StackVersions } from "./stack-versions.ts";
import { chooseWebPort, spawnWebServer, WEB_ENTRY } from "./web-component.ts";
import { isAlive, stopPid } from "./processes.ts";
import { startNatsServerProcess, type StackPorts } from "./server-process.ts";
import { StackError } from "./stack-error.ts";

type Env = Record<string, string | undefined>;
export type StackOptions = {
  env: Env;
  ports: StackPorts;
  webPort?: number;
  host?: string;
  log?: (line: string) => void;
  /** Which Nex node runs the global service: the embedded local node (default) or real Nex 0.x. */
  nex?: NexKind;
};
export type ComponentStatus = { name: string; pid: number; running: boolean };
export type StackInfo = StackClientInfo & { stack_dir: string; client_info: string; components: ComponentStatus[] } & Partial<StackVersions>;

const globalAccounts = (identity: StackIdentity) => ({
  hub: identity.accounts.HUB.public_key,
  public: identity.accounts.NATSTER_PUBLIC.public_key,
  global: identity.accounts.NATSTER_GLOBAL.public_key,
});

/** Starts nats-server and the stack's workloads, detached, and leaves them ready. Idempotent. */
export async function stackUp(opts: StackOptions): Promise<StackInfo & { already_running: boolean }> {
  const host = opts.host ?? DEFAULT_LISTEN;
  const advertised = advertisedHost(host);
  const forClients = (url: string) => advertisedUrl(url, host, advertised);
  const log = opts.log ?? (() => undefined);
  const dir = stackDir(opts.env);
  const paths = stackPaths(dir);
  mkdirSync(paths.run, { recursive: true });
  mkdirSync(paths.logs, { recursive: true });
  const pids = readPids(paths.pids);
  const natsRunning = pids["nats-server"] !== undefined && isOurs(pids["nats-server"]);
  if (!natsRunning) {
    for (const [name, port] of Object.entries(opts.ports)) {
      if (!(await isPortFree(host, port))) {
        throw new StackError(
          "PORT_TAKEN",
          `port ${port} (${name}) on ${host} is taken by another process; natster never attaches to a server it did not start. ` +
            `Stop that process or pick other ports with --port/--http-port/--ws-port.`,
        );
      }
    }
    if (!findNatsServer(opts.env)) {
      throw new StackError("NATS_SERVER_MISSING", "nats-server not found: run `npm run up` (it installs it) or set NATS_SERVER_BIN");
    }
  }
  const boundTo = natsRunning ? configuredListenHost(readFileSync(join(paths.conf, "nats-server.conf"), "utf8")) : host;
  if (boundTo !== host) {
    throw new StackError("BAD_LISTEN", `the stack already runs, bound to ${boundTo ?? "another address"}, not ${host}: run \`natster down\` first to move it`);
  }
  const identity = await ensureStackIdentity(dir);
  const urls = natsRunning
    ? { url: `nats://${host}:${opts.ports.client}`, wsUrl: `ws://${host}:${opts.ports.ws}`, httpUrl: `http://${host}:${opts.ports.http}` }
    : await startServer(dir, identity, opts.ports, host, pids, log);
  writePids(paths.pids, pids);

  const sys = await connectWithCreds(urls.url, readStackCreds(dir, "sys"), "natster-up");
  try {
    await pushBaseAccounts(sys, identity);
  } finally {
    await sys.close();
  }
  const infoPath = clientInfoPath(opts.env);
  const webRunning = pids.web !== undefined && isOurs(pids.web);
  const previousWeb = readClientInfo(infoPath)?.web_url;
  const webUrl = webRunning && previousWeb ? previousWeb : `http://${advertised}:${await chooseWebPort(host, opts.webPort, opts.ports.client)}`;
  const global = await connectWithCreds(urls.url, readStackCreds(dir, "global"), "natster-up");
  try {
    await provisionGlobal(global, defaultGlobalConfig(globalAccounts(identity), webUrl));
    const nexKind = opts.nex ?? "local";
    if (!pids["nex-node"] || !isOurs(pids["nex-node"])) {
      log("building function bundles and workload artifacts");
      await buildArtifacts();
      if (nexKind === "real") {
        const real = await spawnRealNexNode(dir, urls.url);
        pids["nex-node"] = { pid: real.pid, marker: real.marker, started_at: new Date().toISOString(), tree: true };
      } else {
        pids["nex-node"] = { pid: spawnNexNode(dir, urls.url), marker: NEX_MARKER, started_at: new Date().toISOString() };
      }
      writePids(paths.pids, pids);
      recordVersions(paths.run, { nex: nexKind === "real" ? { kind: "real", version: REAL_NEX_VERSION } : { kind: "local", version: NEX_VERSION } });
      log(`${nexKind === "real" ? `real Nex ${REAL_NEX_VERSION} node (nex node up)` : "local nex node"} started (pid ${pids["nex-node"].pid})`);
    } else if ((readVersions(paths.run).nex?.kind ?? "local") !== nexKind) {
      throw new StackError("NEX_KIND_MISMATCH", `the stack already runs the ${readVersions(paths.run).nex?.kind ?? "local"} Nex node; run natster down first to switch to --nex ${nexKind}`);
    }
    const nodeId = await waitForNexNode(global);
    const realPoolWarm = () => waitForWarmPool(realNexLogPath(dir), { isAlive: () => pids["nex-node"] !== undefined && isOurs(pids["nex-node"]) });
    await deployStack(global, dir, nodeId, urls.url, log, nexKind === "real" ? realPoolWarm : undefined);
    await waitForGlobalService(global, identity.accounts.HUB.public_key);
    const hubSide = await ensureHubSide(dir, identity, urls.url, pids[HUB_NODE], (p) => {
      pids[HUB_NODE] = p;
      writePids(paths.pids, pids);
    });
    if (hubSide.servedNow) log(`serving the '${HUB_CATALOG}' demo catalog on the hub's own Nex node, as HUB`);
  } finally {
    await global.close();
  }
  await waitForAuthority(urls.url, readStackCreds(dir, "public"));

  const client: StackClientInfo = {
    nats_url: forClients(urls.url),
    ws_url: forClients(urls.wsUrl),
    http_url: forClients(urls.httpUrl),
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
    await spawnWebServer(dir, host, Number(new URL(webUrl).port), infoPath, (pid) => {
      pids.web = { pid, marker: WEB_ENTRY, started_at: new Date().toISOString() };
      writePids(paths.pids, pids);
    });
  }
  return {
    ...client,
    ...readVersions(paths.run),
    stack_dir: dir,
    client_info: infoPath,
    components: componentStatus(readPids(paths.pids)),
    already_running: natsRunning,
  };
}

async function startServer(dir: string, identity: StackIdentity, ports: StackPorts, host: string, pids: PidFile, log: (l: string) => void) {
  const onSpawn = (pid: number) => {
    pids["nats-server"] = { pid, marker: join(stackPaths(dir).conf, "nats-server.conf"), started_at: new Date().toISOString() };
    writePids(stackPaths(dir).pids, pids);
  };
  const server = await startNatsServerProcess({ dir, identity, ports, host, detached: true, onSpawn }).catch((e: unknown) => {
    throw new StackError("START_FAILED", `nats-server did not start: ${(e as Error).message} (log: ${stackPaths(dir).logs}/nats-server.log)`);
  });
  const bin = findNatsServer() ?? "nats-server";
  const version = natsServerVersion(bin) ?? "unknown";
  recordVersions(stackPaths(dir).run, { nats_server: { bin, version } });
  log(`nats-server ${version} started (pid ${server.pid}, ${bin})`);
  return server;
}

async function waitForAuthority(url: string, publicCreds: Uint8Array, timeoutMs = 20_000): Promise<void> {
  const nc = await connectWithCreds(url, publicCreds, "natster-up-probe");
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await requestEnvelope(nc, Subjects.authority.nonce, undefined, 1000);
        return;
      } catch (e) {
        if (Date.now() > deadline) throw new StackError("START_FAILED", `the account authority did not answer: ${(e as Error).message}`);
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
      if (Date.now() > deadline) throw new StackError("START_FAILED", `the global service did not answer: ${(e as Error).message}`);
      await sleep(200);
    }
  }
}

const STOP_ORDER = ["web", "hub-node", "nex-node", "nats-server"];

/** Stops, by PID, exactly what `natster up` started for this stack dir, and nothing else. */
export async function stackDown(env: Env): Promise<ComponentStatus[]> {
  const paths = stackPaths(stackDir(env));
  const pids = readPids(paths.pids);
  const names = [...STOP_ORDER.filter((n) => n in pids), ...Object.keys(pids).filter((n) => !STOP_ORDER.includes(n))];
  const stopped: ComponentStatus[] = [];
  for (const name of names) {
    const p = pids[name];
    if (!p) continue;
    if (isOurs(p)) {
      // Real Nex's agents (and their workloads) are children of the node: stop the node, then whatever of them is left.
      const signal = name === "nats-server" ? "SIGTERM" : "SIGINT";
      const children = p.tree ? await stopTree(p.pid, signal, 10_000) : (await stopPid(p.pid, signal, 10_000), []);
      stopped.push({ name, pid: p.pid, running: false }, ...children.map((c) => ({ name: c.comm, pid: c.pid, running: false })));
    }
    delete pids[name];
  }
  writePids(paths.pids, pids);
  return stopped;
}

export function stackStatus(env: Env): ComponentStatus[] {
  return componentStatus(readPids(stackPaths(stackDir(env)).pids));
}

/** The nats-server binary and version, and which Nex node (real or local) with its version, as `up` recorded them. */
export function stackVersions(env: Env): Partial<StackVersions> {
  return readVersions(stackPaths(stackDir(env)).run);
}

const componentStatus = (pids: PidFile): ComponentStatus[] =>
  Object.entries(pids).flatMap(([name, p]) => {
    const running = isOurs(p);
    const agents = p.tree && running ? descendants(p.pid).filter((c) => c.comm === "nex-agent" && isAlive(c.pid)) : [];
    return [{ name, pid: p.pid, running }, ...agents.map((a) => ({ name: a.comm, pid: a.pid, running: true }))];
  });
