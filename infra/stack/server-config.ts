/** Everything a nats-server config needs; paths are as the server sees them (host or container). */
export type ServerConfigInput = {
  serverName: string;
  host: string;
  port: number;
  httpPort: number;
  wsPort: number;
  operatorJwt: string;
  systemAccount: string;
  systemAccountJwt: string;
  storeDir: string;
  resolverDir: string;
  maxMemoryStore?: string;
  maxFileStore?: string;
  cluster?: { name: string; host: string; port: number; routes: string[] };
};

const quote = (s: string) => JSON.stringify(s);

/**
 * The one nats-server config template: operator mode, `full` resolver (accounts can be created at
 * run time through $SYS.REQ.CLAIMS.UPDATE), JetStream, websocket. Only SYS is preloaded; every other
 * account is pushed and then persisted in the resolver dir, so a restart keeps it.
 */
export function renderServerConfig(c: ServerConfigInput): string {
  const lines = [
    `server_name: ${quote(c.serverName)}`,
    `listen: ${quote(`${c.host}:${c.port}`)}`,
    `http: ${quote(`${c.host}:${c.httpPort}`)}`,
    `max_payload: 1MB`,
    `operator: ${quote(c.operatorJwt)}`,
    `system_account: ${c.systemAccount}`,
    `jetstream {`,
    `  store_dir: ${quote(c.storeDir)}`,
    `  max_memory_store: ${c.maxMemoryStore ?? "1GB"}`,
    `  max_file_store: ${c.maxFileStore ?? "64GB"}`,
    `}`,
    `websocket {`,
    `  listen: ${quote(`${c.host}:${c.wsPort}`)}`,
    `  no_tls: true`,
    // Uncompressed, nats-server splits what it sends a browser into 4 KiB websocket messages (a 256 KiB
    // chunk = 64 message events on the page's main thread); compressed, one message per flush.
    `  compression: true`,
    `}`,
    `resolver {`,
    `  type: full`,
    `  dir: ${quote(c.resolverDir)}`,
    `  allow_delete: false`,
    `  interval: "2m"`,
    `  limit: 100000`,
    `}`,
    `resolver_preload {`,
    `  ${c.systemAccount}: ${quote(c.systemAccountJwt)}`,
    `}`,
  ];
  if (c.cluster) {
    lines.push(
      `cluster {`,
      `  name: ${quote(c.cluster.name)}`,
      `  listen: ${quote(`${c.cluster.host}:${c.cluster.port}`)}`,
      `  routes: [${c.cluster.routes.map(quote).join(", ")}]`,
      `}`,
    );
  }
  return lines.join("\n") + "\n";
}

export type ClusterNode = {
  name: string;
  host: string;
  port: number;
  httpPort: number;
  wsPort: number;
  clusterPort: number;
  routeHost: string;
};

/** A 3-node (or n-node) cluster from the same template: each node routes to every other node. */
export function renderClusterConfigs(
  base: Omit<ServerConfigInput, "serverName" | "host" | "port" | "httpPort" | "wsPort" | "cluster" | "storeDir">,
  nodes: ClusterNode[],
  storeDirFor: (node: ClusterNode) => string,
  clusterName = "natster",
): string[] {
  return nodes.map((node) =>
    renderServerConfig({
      ...base,
      serverName: node.name,
      host: node.host,
      port: node.port,
      httpPort: node.httpPort,
      wsPort: node.wsPort,
      storeDir: storeDirFor(node),
      resolverDir: `${base.resolverDir}/${node.name}`,
      cluster: {
        name: clusterName,
        host: node.host,
        port: node.clusterPort,
        routes: nodes.filter((n) => n !== node).map((n) => `nats-route://${n.routeHost}:${n.clusterPort}`),
      },
    }),
  );
}
