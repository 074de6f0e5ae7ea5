import { mkdirSync, writeFileSync } from "node:fs";
import { type StackIdentity, stackPaths } from "@natster/identity";
import { clusterNodes, layoutPorts, type ServerSlot, type StackLayout } from "./cluster-layout.ts";
import { advertisedHost } from "./listen.ts";
import { findNatsServer } from "./nats-binary.ts";
import { isOurs, StopPolicies, type PidFile, type TrackedProcess } from "./pid-file.ts";
import { isPortFree } from "./ports.ts";
import { spawnLogged, waitForHealthz } from "./processes.ts";
import { renderClusterConfigs, renderServerConfig, type ServerConfigInput } from "./server-config.ts";
import { StackError } from "./stack-error.ts";

export type ServerUrls = { url: string; wsUrl: string; httpUrl: string };

export const serverUrls = (slot: ServerSlot, host: string): ServerUrls => ({
  url: `nats://${host}:${slot.ports.client}`,
  wsUrl: `ws://${host}:${slot.ports.ws}`,
  httpUrl: `http://${host}:${slot.ports.http}`,
});

/** The config text of every server of the layout, from the one template (routes only in a cluster). */
export function layoutConfigs(dir: string, identity: StackIdentity, layout: StackLayout, host: string): string[] {
  const base: Omit<ServerConfigInput, "serverName" | "host" | "port" | "httpPort" | "wsPort" | "cluster" | "storeDir"> =
    {
      operatorJwt: identity.operator.jwt,
      systemAccount: identity.accounts.SYS.public_key,
      systemAccountJwt: identity.accounts.SYS.jwt,
      resolverDir: stackPaths(dir).resolver,
    };
  const [single] = layout.servers;
  if (layout.size === 1 && single) {
    return [
      renderServerConfig({
        ...base,
        serverName: single.serverName,
        host,
        port: single.ports.client,
        httpPort: single.ports.http,
        wsPort: single.ports.ws,
        storeDir: single.storeDir,
      }),
    ];
  }
  const nodes = clusterNodes(layout, host).map((n) => ({ ...n, routeHost: advertisedHost(host) }));
  return renderClusterConfigs(base, nodes, (n) => layout.servers.find((s) => s.serverName === n.name)?.storeDir ?? "");
}

/**
 * Starts every server of the layout that is not running (all of them on a first `up`; the one
 * that died on a later one, which then rejoins its cluster and catches up), recording each PID
 * through `record` before any health wait. Refuses a taken port: it never attaches to a server it did not start.
 */
export async function ensureServers(opts: {
  dir: string;
  identity: StackIdentity;
  layout: StackLayout;
  host: string;
  pids: PidFile;
  record: (id: string, p: TrackedProcess) => void;
}): Promise<{ started: ServerSlot[] }> {
  const { dir, layout, host } = opts;
  const missing = layout.servers.filter((s) => !(opts.pids[s.id] && isOurs(opts.pids[s.id] as TrackedProcess)));
  if (missing.length === 0) return { started: [] };
  for (const slot of missing) {
    for (const [name, port] of layoutPorts(slot)) {
      if (!(await isPortFree(host, port))) {
        throw new StackError(
          "PORT_TAKEN",
          `port ${port} (${name}) on ${host} is taken by another process; natster never attaches to a server it did not start. ` +
            `Stop that process or pick other ports with --port/--http-port/--ws-port${layout.size > 1 ? "/--cluster-port" : ""}.`,
        );
      }
    }
  }
  const bin = findNatsServer();
  if (!bin)
    throw new StackError(
      "NATS_SERVER_MISSING",
      "nats-server not found: run `npm run up` (it installs it) or set NATS_SERVER_BIN",
    );
  const paths = stackPaths(dir);
  for (const d of [paths.conf, paths.jetstream, paths.resolver, paths.run, paths.logs])
    mkdirSync(d, { recursive: true });
  const configs = layoutConfigs(dir, opts.identity, layout, host);
  layout.servers.forEach((slot, i) => writeFileSync(slot.configPath, configs[i] ?? ""));
  const spawned = missing.map((slot) => {
    const pid = spawnLogged({ command: bin, args: ["-c", slot.configPath], logPath: slot.logPath, detached: true });
    opts.record(slot.id, {
      pid,
      marker: slot.configPath,
      started_at: new Date().toISOString(),
      ...StopPolicies.natsServer,
    });
    return { slot, pid };
  });
  // A clustered server is healthy once JetStream is current with the meta leader, so all of them start before any wait.
  const timeoutMs = layout.size > 1 ? 90_000 : 20_000;
  await Promise.all(
    spawned.map(({ slot, pid }) =>
      waitForHealthz(serverUrls(slot, host).httpUrl, pid, timeoutMs).catch((e: unknown) => {
        throw new StackError(
          "START_FAILED",
          `${slot.id} did not start: ${(e as Error).message} (log: ${slot.logPath})`,
        );
      }),
    ),
  );
  return { started: missing };
}
