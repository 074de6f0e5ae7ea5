import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type StackIdentity, stackPaths } from "@natster/identity";
import { findNatsServer } from "./nats-binary.ts";
import { spawnLogged, waitForHealthz } from "./processes.ts";
import { renderServerConfig } from "./server-config.ts";

export type StackPorts = { client: number; http: number; ws: number };
export const DEFAULT_PORTS: StackPorts = { client: 4222, http: 8222, ws: 4223 };

export type StartedServer = {
  pid: number;
  url: string;
  wsUrl: string;
  httpUrl: string;
  configPath: string;
  logPath: string;
};

/** Writes the single-node config into the stack dir and starts nats-server on loopback. */
export async function startNatsServerProcess(opts: {
  dir: string;
  identity: StackIdentity;
  ports: StackPorts;
  detached: boolean;
  host?: string;
  env?: Record<string, string | undefined>;
  /** Called with the PID before the health wait, so a caller that dies waiting can still be cleaned up. */
  onSpawn?: (pid: number) => void;
}): Promise<StartedServer> {
  const host = opts.host ?? "127.0.0.1";
  const paths = stackPaths(opts.dir);
  for (const d of [paths.conf, paths.jetstream, paths.resolver, paths.run, paths.logs])
    mkdirSync(d, { recursive: true });
  const bin = findNatsServer(opts.env);
  if (!bin)
    throw new Error("nats-server not found: set NATS_SERVER_BIN or run scripts/setup.sh (apt-get install nats-server)");
  const configPath = join(paths.conf, "nats-server.conf");
  writeFileSync(
    configPath,
    renderServerConfig({
      serverName: "natster",
      host,
      port: opts.ports.client,
      httpPort: opts.ports.http,
      wsPort: opts.ports.ws,
      operatorJwt: opts.identity.operator.jwt,
      systemAccount: opts.identity.accounts.SYS.public_key,
      systemAccountJwt: opts.identity.accounts.SYS.jwt,
      storeDir: paths.jetstream,
      resolverDir: paths.resolver,
    }),
  );
  const logPath = join(paths.logs, "nats-server.log");
  const pid = spawnLogged({ command: bin, args: ["-c", configPath], logPath, detached: opts.detached });
  opts.onSpawn?.(pid);
  const httpUrl = `http://${host}:${opts.ports.http}`;
  await waitForHealthz(httpUrl, pid);
  return {
    pid,
    url: `nats://${host}:${opts.ports.client}`,
    wsUrl: `ws://${host}:${opts.ports.ws}`,
    httpUrl,
    configPath,
    logPath,
  };
}
