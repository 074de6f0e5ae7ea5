import type { NatsConnection } from "@nats-io/nats-core";
import { connectWithCreds } from "@natster/node-kit";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wait, type StartedTestContainer } from "testcontainers";
import { ensureStackIdentity, readStackCreds, type StackIdentity, type StackUser } from "@natster/identity";
import { pushBaseAccounts } from "../../infra/stack/nats-admin.ts";
import { freePort } from "../../infra/stack/ports.ts";
import { stopPid } from "../../infra/stack/processes.ts";
import { renderServerConfig } from "../../infra/stack/server-config.ts";
import { startNatsServerProcess } from "../../infra/stack/server-process.ts";
import { LoopbackContainer } from "./loopback-container.ts";
import { natsImage, natsMode, type NatsMode } from "./mode.ts";

/** Also `AsyncDisposable`: `await using stack = await startTestStack()` stops it when the scope ends. */
export type TestStack = AsyncDisposable & {
  mode: NatsMode;
  url: string;
  wsUrl: string;
  /** The stack dir: identity, seeds and creds of this test's own operator. */
  dir: string;
  identity: StackIdentity;
  /** Connects as one of the stack's users, or with any creds; closed by stop(). */
  connect(who: StackUser | Uint8Array, name?: string): Promise<NatsConnection>;
  /** Runs something to stop when the stack stops (LIFO). */
  defer(cleanup: () => unknown): void;
  stop(): Promise<void>;
};

/** A fresh operator-mode server with the real base accounts, in a container or as a process. */
export async function startTestStack(mode: NatsMode = natsMode()): Promise<TestStack> {
  const dir = mkdtempSync(join(tmpdir(), "natster-test-"));
  const identity = await ensureStackIdentity(dir);
  const cleanups: (() => unknown)[] = [];
  const { url, wsUrl } =
    mode === "container" ? await startContainer(identity, cleanups) : await startProcess(dir, identity, cleanups);

  const stack: TestStack = {
    mode,
    url,
    wsUrl,
    dir,
    identity,
    async connect(who, name = "test") {
      const creds = typeof who === "string" ? readStackCreds(dir, who) : who;
      const nc = await connectWithCreds(url, creds, name);
      cleanups.push(() => nc.close());
      return nc;
    },
    defer: (cleanup) => cleanups.push(cleanup),
    async stop() {
      for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
      cleanups.length = 0;
      rmSync(dir, { recursive: true, force: true });
    },
    [Symbol.asyncDispose]: () => stack.stop(),
  };
  try {
    const sys = await stack.connect("sys", "test-sys");
    await pushBaseAccounts(sys, identity);
  } catch (e) {
    await stack.stop();
    throw e;
  }
  return stack;
}

async function startProcess(dir: string, identity: StackIdentity, cleanups: (() => unknown)[]) {
  const ports = { client: await freePort(), http: await freePort(), ws: await freePort() };
  const server = await startNatsServerProcess({ dir, identity, ports, detached: false });
  cleanups.push(() => stopPid(server.pid));
  return server;
}

async function startContainer(identity: StackIdentity, cleanups: (() => unknown)[]) {
  const config = renderServerConfig({
    serverName: "natster",
    host: "0.0.0.0",
    port: 4222,
    httpPort: 8222,
    wsPort: 4223,
    operatorJwt: identity.operator.jwt,
    systemAccount: identity.accounts.SYS.public_key,
    systemAccountJwt: identity.accounts.SYS.jwt,
    storeDir: "/data/jetstream",
    resolverDir: "/data/jwt",
  });
  const container: StartedTestContainer = await new LoopbackContainer(natsImage())
    .withExposedPorts(4222, 4223)
    .withCopyContentToContainer([{ content: config, target: "/etc/nats.conf" }])
    .withCommand(["-c", "/etc/nats.conf"])
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
    .start();
  cleanups.push(() => container.stop());
  const host = container.getHost();
  return {
    url: `nats://${host}:${container.getMappedPort(4222)}`,
    wsUrl: `ws://${host}:${container.getMappedPort(4223)}`,
  };
}
