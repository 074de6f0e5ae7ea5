/**
 * `catalog serve` notices when it is orphaned: what it follows (its Nex node, its workload, the NATS
 * server) goes away. A real operator-mode nats-server (a process this test owns, so it can stop it).
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { connectWithCreds } from "@natster/node-kit";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { watchForOrphan } from "../../cli/src/commands/catalog/orphan-watch.ts";
import { nexSubjects } from "nex-node";
import { ensureStackIdentity, readStackCreds } from "@natster/identity";
import { pushBaseAccounts } from "../../infra/stack/nats-admin.ts";
import { freePort } from "../../infra/stack/ports.ts";
import { stopPid } from "../../infra/stack/processes.ts";
import { startNatsServerProcess, type StartedServer } from "../../infra/stack/server-process.ts";

const enc = new TextEncoder();
const workload = { namespace: "natster", nodeId: "NNODEA", workloadId: "w-1" };
const event = (data: unknown) => enc.encode(JSON.stringify({ specversion: "1.0", type: "x", data }));

describe("catalog serve's orphan watch", () => {
  let dir: string;
  let server: StartedServer | undefined;
  const connections: NatsConnection[] = [];
  const connect = async () => {
    const nc = await connectWithCreds(server!.url, readStackCreds(dir, "global"), "orphan-watch-test");
    connections.push(nc);
    return nc;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "natster-orphan-"));
    const identity = await ensureStackIdentity(dir);
    const ports = { client: await freePort(), http: await freePort(), ws: await freePort() };
    server = await startNatsServerProcess({ dir, identity, ports, detached: false });
    const sys = await connectWithCreds(server.url, readStackCreds(dir, "sys"), "orphan-watch-sys");
    await pushBaseAccounts(sys, identity);
    await sys.close();
  });

  afterAll(async () => {
    await Promise.all(connections.map((nc) => nc.close().catch(() => undefined)));
    if (server) await stopPid(server.pid);
    rmSync(dir, { recursive: true, force: true });
  });

  it("given the node's process exits, when watched, then it resolves naming the node and its PID", async () => {
    const fakeNode = spawn("sleep", ["600"], { stdio: "ignore" });
    const watch = watchForOrphan({
      nc: await connect(),
      serverUrl: server!.url,
      workload,
      nodePid: fakeNode.pid,
      pollMs: 50,
    });
    fakeNode.kill("SIGKILL");
    await expect(watch.orphaned).resolves.toBe(`your Nex node NNODEA (pid ${fakeNode.pid}) exited`);
  });

  it("given node_stopped from another node and then from its node, when watched, then only its own node counts", async () => {
    const nc = await connect();
    const watch = watchForOrphan({ nc, serverUrl: server!.url, workload });
    await nc.flush();
    nc.publish(nexSubjects.event("system", "node_stopped"), event({ id: "NOTHER", graceful: true }));
    nc.publish(nexSubjects.event("system", "node_stopped"), event({ id: "NNODEA", graceful: true }));
    await expect(watch.orphaned).resolves.toBe("your Nex node NNODEA stopped");
  });

  it("given its workload is undeployed (after another one), when watched, then it resolves with the node's reason", async () => {
    const nc = await connect();
    const watch = watchForOrphan({ nc, serverUrl: server!.url, workload });
    await nc.flush();
    nc.publish(
      nexSubjects.event("natster", "workload_undeployed"),
      event({ workload_id: "w-other", reason: "stopped" }),
    );
    nc.publish(nexSubjects.event("natster", "workload_undeployed"), event({ workload_id: "w-1", reason: "replaced" }));
    await expect(watch.orphaned).resolves.toBe("the catalog server workload w-1 was undeployed (replaced)");
  });

  it("given the NATS server goes away for good, when watched (also without a workload: --foreground), then it resolves", async () => {
    const withWorkload = watchForOrphan({
      nc: await connect(),
      serverUrl: server!.url,
      workload,
      reconnectGraceMs: 200,
    });
    const foreground = watchForOrphan({ nc: await connect(), serverUrl: server!.url, reconnectGraceMs: 200 });
    await stopPid(server!.pid);
    const lost = new RegExp(`^lost the NATS server at ${server!.url.replace(/[.]/g, "\\.")}`);
    await expect(withWorkload.orphaned).resolves.toMatch(lost);
    await expect(foreground.orphaned).resolves.toMatch(lost);
  });
});
