import { jetstream, jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { connectWithCreds } from "@natster/node-kit";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStackCreds } from "@natster/identity";
import { pushBaseAccounts } from "../../infra/stack/nats-admin.ts";
import { natsMode } from "../support/mode.ts";
import { startTestCluster, type TestCluster } from "../support/test-cluster.ts";

type Jsz = { data?: { meta_cluster?: { leader?: string; replicas?: { current: boolean }[] } } };

/**
 * An R3 stream needs the JetStream meta group complete: a leader and both other peers current.
 * Asks every server through $SYS until one reports that, within a bound.
 */
async function whenMetaGroupComplete(sys: NatsConnection, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    const replies = await sys.requestMany("$SYS.REQ.SERVER.PING.JSZ", new Uint8Array(), { maxWait: 1000, maxMessages: 3 });
    for await (const m of replies) {
      const meta = (m.json<Jsz>()).data?.meta_cluster;
      last = JSON.stringify(meta);
      if (meta?.leader && meta.replicas?.length === 2 && meta.replicas.every((r) => r.current)) return;
    }
    await sleep(250);
  }
  throw new Error(`the JetStream meta group never completed: ${last}`);
}

/** nats-server 2.12 answers the create before the new R3 stream has elected its leader: wait for it. */
async function whenStreamHasLeader(jsm: JetStreamManager, stream: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const info = await jsm.streams.info(stream).catch(() => undefined);
    if (info?.cluster?.leader) return;
    await sleep(100);
  }
  throw new Error(`stream ${stream} has no leader after ${timeoutMs} ms`);
}

describe("the 3-node cluster config", () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startTestCluster(natsMode());
  }, 120_000);
  afterAll(() => cluster?.stop());

  it("forms a cluster and keeps an R3 stream on three servers", async () => {
    const [first, , last] = cluster.urls as [string, string, string];
    const sys = await connectWithCreds(first, readStackCreds(cluster.dir, "sys"), "cluster-sys");
    await pushBaseAccounts(sys, cluster.identity);
    const nc = await connectWithCreds(first, readStackCreds(cluster.dir, "global"), "cluster-global");
    await whenMetaGroupComplete(sys);
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.add({ name: "R3", subjects: ["r3.>"], num_replicas: 3 });
    expect(info.config.num_replicas).toBe(3);
    await whenStreamHasLeader(jsm, "R3");
    await jetstream(nc).publish("r3.one", "replicated");

    // Read it back through another node: the account, the stream and the data are cluster-wide.
    const other = await connectWithCreds(last, readStackCreds(cluster.dir, "global"), "cluster-global-2");
    const state = await (await jetstreamManager(other)).streams.info("R3");
    expect(state.state.messages).toBe(1);
    expect(state.cluster?.leader).toMatch(/^n[123]$/);
    expect(state.cluster?.replicas).toHaveLength(2);
    await Promise.all([sys.close(), nc.close(), other.close()]);
  });
});
