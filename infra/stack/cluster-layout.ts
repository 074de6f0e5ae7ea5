import { join } from "node:path";
import type { StackPorts } from "./server-process.ts";
import type { ClusterNode } from "./server-config.ts";
import { stackPaths } from "@natster/identity";
import { StackError } from "./stack-error.ts";

/** The cluster port of the first server; the others add SERVER_PORT_STEP each. */
export const DEFAULT_CLUSTER_PORT = 6222;
/** Server i listens on every base port + i × 10 (4222, 4232, 4242 …), so no two kinds of port collide. */
export const SERVER_PORT_STEP = 10;
/** Several global Nex nodes with a cluster: one more node shares the function triggers. */
export const CLUSTER_NEX_NODES = 2;
export const MAX_CLUSTER_SIZE = 9;

export type ClusterPorts = StackPorts & { cluster: number };

/** One nats-server of the stack: its name, ports, and where its config, state, log and PID entry live. */
export type ServerSlot = {
  /** The PID-file entry (and `natster status` name): `nats-server`, or `nats-server-<i>` in a cluster. */
  id: string;
  serverName: string;
  ports: StackPorts;
  clusterPort?: number;
  configPath: string;
  storeDir: string;
  logPath: string;
};

/** `natster up` with one server (the default) or a cluster of `size` servers on this machine. */
export type StackLayout = { size: number; servers: ServerSlot[]; nexNodes: string[] };

/**
 * Where each server of a stack lives. A single server keeps the paths it always had (conf/nats-server.conf,
 * jetstream/), so an existing stack dir starts as before. In a cluster, server i (1-based) is
 * `natster-<i>` with conf/nats-server-<i>.conf, jetstream/natster-<i> and the resolver's jwt/natster-<i>.
 */
export function stackLayout(dir: string, size: number, ports: ClusterPorts): StackLayout {
  const paths = stackPaths(dir);
  if (size === 1) {
    return {
      size,
      servers: [
        {
          id: "nats-server",
          serverName: "natster",
          ports: { client: ports.client, http: ports.http, ws: ports.ws },
          configPath: join(paths.conf, "nats-server.conf"),
          storeDir: paths.jetstream,
          logPath: join(paths.logs, "nats-server.log"),
        },
      ],
      nexNodes: [nexNodeId(0)],
    };
  }
  const servers = Array.from({ length: size }, (_, i): ServerSlot => {
    const step = i * SERVER_PORT_STEP;
    const n = i + 1;
    return {
      id: `nats-server-${n}`,
      serverName: `natster-${n}`,
      ports: { client: ports.client + step, http: ports.http + step, ws: ports.ws + step },
      clusterPort: ports.cluster + step,
      configPath: join(paths.conf, `nats-server-${n}.conf`),
      storeDir: join(paths.jetstream, `natster-${n}`),
      logPath: join(paths.logs, `nats-server-${n}.log`),
    };
  });
  return { size, servers, nexNodes: Array.from({ length: CLUSTER_NEX_NODES }, (_, i) => nexNodeId(i)) };
}

/** The PID-file entry of the i-th global Nex node: `nex-node`, then `nex-node-2` … */
export const nexNodeId = (i: number): string => (i === 0 ? "nex-node" : `nex-node-${i + 1}`);

/** The route topology the config template renders for a cluster layout (every server routes to every other). */
export const clusterNodes = (layout: StackLayout, host: string): ClusterNode[] =>
  layout.servers.map((s) => ({
    name: s.serverName,
    host,
    routeHost: host,
    port: s.ports.client,
    httpPort: s.ports.http,
    wsPort: s.ports.ws,
    clusterPort: s.clusterPort ?? 0,
  }));

/** JetStream replicas for the event log, every bucket and the object store: 3 in a cluster of 3 or more. */
export const jetStreamReplicas = (size: number): number => Math.min(size, 3);

/** Every port the layout binds, named for error messages. */
export const layoutPorts = (server: ServerSlot): [string, number][] => [
  [`${server.id} client`, server.ports.client],
  [`${server.id} http`, server.ports.http],
  [`${server.id} ws`, server.ports.ws],
  ...(server.clusterPort !== undefined ? ([[`${server.id} cluster`, server.clusterPort]] as [string, number][]) : []),
];

/** `--cluster N`: 1 (a single server) up to MAX_CLUSTER_SIZE; 2 is refused (no quorum survives a loss). */
export function parseClusterSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CLUSTER_SIZE || n === 2) {
    throw new StackError(
      "BAD_CLUSTER_SIZE",
      `--cluster must be 1 or 3..${MAX_CLUSTER_SIZE} servers (2 cannot lose one and keep a JetStream quorum), not '${value}'`,
    );
  }
  return n;
}

/** Ports the layout would bind twice (a cluster derives its ports from the base ones, so they can collide). */
export function duplicatePorts(layout: StackLayout): number[] {
  const all = layout.servers.flatMap((s) => layoutPorts(s).map(([, port]) => port));
  return [...new Set(all.filter((p, i) => all.indexOf(p) !== i))];
}
