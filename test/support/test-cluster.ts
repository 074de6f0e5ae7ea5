import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Network, Wait } from "testcontainers";
import { ensureStackIdentity, type StackIdentity } from "@natster/identity";
import { findNatsServer } from "../../infra/stack/nats-binary.ts";
import { freePort } from "../../infra/stack/ports.ts";
import { spawnLogged, stopPid, waitForHealthz } from "../../infra/stack/processes.ts";
import { renderClusterConfigs, type ClusterNode } from "../../infra/stack/server-config.ts";
import { LoopbackContainer } from "./loopback-container.ts";
import { natsImage, type NatsMode } from "./mode.ts";

export type TestCluster = { dir: string; identity: StackIdentity; urls: string[]; stop(): Promise<void> };

/** Three nats-servers from the one config template, clustered, in containers or as processes. */
export async function startTestCluster(mode: NatsMode): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), "natster-cluster-"));
  const identity = await ensureStackIdentity(dir);
  const base = {
    operatorJwt: identity.operator.jwt,
    systemAccount: identity.accounts.SYS.public_key,
    systemAccountJwt: identity.accounts.SYS.jwt,
    resolverDir: mode === "container" ? "/data/jwt" : join(dir, "jwt"),
    maxMemoryStore: "512MB",
    maxFileStore: "2GB",
  };
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const urls = mode === "container" ? await containers(base, cleanups) : await processes(dir, base, cleanups);
    return { dir, identity, urls, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

type Base = Parameters<typeof renderClusterConfigs>[0];

async function containers(base: Base, cleanups: (() => Promise<unknown>)[]): Promise<string[]> {
  const network = await new Network().start();
  cleanups.push(() => network.stop());
  const nodes: ClusterNode[] = ["n1", "n2", "n3"].map((name) => ({
    name,
    host: "0.0.0.0",
    routeHost: name,
    port: 4222,
    httpPort: 8222,
    wsPort: 4223,
    clusterPort: 6222,
  }));
  const configs = renderClusterConfigs(base, nodes, (n) => `/data/js/${n.name}`);
  const started = await Promise.all(
    nodes.map((node, i) =>
      new LoopbackContainer(natsImage())
        .withNetwork(network)
        .withNetworkAliases(node.name)
        .withExposedPorts(4222)
        .withCopyContentToContainer([{ content: configs[i] ?? "", target: "/etc/nats.conf" }])
        .withCommand(["-c", "/etc/nats.conf"])
        .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
        .start(),
    ),
  );
  for (const c of started) cleanups.push(() => c.stop());
  return started.map((c) => `nats://${c.getHost()}:${c.getMappedPort(4222)}`);
}

async function processes(dir: string, base: Base, cleanups: (() => Promise<unknown>)[]): Promise<string[]> {
  const bin = findNatsServer();
  if (!bin) throw new Error("nats-server not found");
  const nodes: ClusterNode[] = [];
  for (const name of ["n1", "n2", "n3"]) {
    nodes.push({
      name,
      host: "127.0.0.1",
      routeHost: "127.0.0.1",
      port: await freePort(),
      httpPort: await freePort(),
      wsPort: await freePort(),
      clusterPort: await freePort(),
    });
  }
  const configs = renderClusterConfigs(base, nodes, (n) => join(dir, "js", n.name));
  mkdirSync(join(dir, "conf"), { recursive: true });
  const pids = nodes.map((node, i) => {
    const conf = join(dir, "conf", `${node.name}.conf`);
    writeFileSync(conf, configs[i] ?? "");
    const pid = spawnLogged({
      command: bin,
      args: ["-c", conf],
      logPath: join(dir, `${node.name}.log`),
      detached: false,
    });
    cleanups.push(() => stopPid(pid));
    return pid;
  });
  await Promise.all(nodes.map((n, i) => waitForHealthz(`http://127.0.0.1:${n.httpPort}`, pids[i])));
  return nodes.map((n) => `nats://127.0.0.1:${n.port}`);
}
