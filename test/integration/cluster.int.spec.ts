import { jetstream, jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { connectWithCreds } from "@natster/node-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStackCreds } from "@natster/identity";
import { waitForAccountJetStream } from "../../infra/stack/account-jetstream.ts";
import { pushBaseAccounts } from "../../infra/stack/nats-admin.ts";
import { natsMode } from "../support/mode.ts";
import { startTestCluster, type TestCluster } from "../support/test-cluster.ts";
import { notYet, until } from "@natster/test-kit";

type Jsz = { data?: { meta_cluster?: { leader?: string; replicas?: { current: boolean }[] } } };

/**
 * An R3 stream needs the JetStream meta group complete: a leader and both other peers current.
 * Asks every server through $SYS until one reports that, within a bound.
 */
async function whenMetaGroupComplete(sys: NatsConnection, timeoutMs = 60_000): Promise<void> {
  await until(
    async () => {
      let last = "no answer";
      const replies = await sys.requestMany("$SYS.REQ.SERVER.PING.JSZ", new Uint8Array(), {
        maxWait: 1000,
        maxMessages: 3,
      });
      for await (const m of replies) {
        const meta = m.json<Jsz>().data?.meta_cluster;
        last = JSON.stringify(meta);
        if (meta?.leader && meta.replicas?.length === 2 && meta.replicas.every((r) => r.current)) return true;
      }
      return notYet(last);
    },
    "the JetStream meta group to complete",
    timeoutMs,
    250,
  );
}

/** nats-server 2.12 answers the create before the new R3 stream has elected its leader: wait for it. */
async function whenStreamHasLeader(jsm: JetStreamManager, stream: string, timeoutMs = 60_000): Promise<void> {
  await until(
    async () => (await jsm.streams.info(stream)).cluster?.leader !== undefined,
    `a leader for stream ${stream}`,
    timeoutMs,
    100,
  );
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
    // The order `natster up --cluster` keeps: the meta group complete, then the accounts, then JetStream
    // once the account has it (a JWT pushed before the meta group completes turns it on later).
    await whenMetaGroupComplete(sys);
    await pushBaseAccounts(sys, cluster.identity);
    const nc = await connectWithCreds(first, readStackCreds(cluster.dir, "global"), "cluster-global");
    await waitForAccountJetStream(nc);
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.add({ name: "R3", subjects: ["r3.>"], num_replicas: 3 });
    expect(info.config.num_replicas).toBe(3);
    await whenStreamHasLeader(jsm, "R3");
    await jetstream(nc).publish("r3.one", "replicated");

    // Read it back through another node: the account, the stream and the data are cluster-wide.
    const other = await connectWithCreds(last, readStackCreds(cluster.dir, "global"), "cluster-global-2");
    const otherJsm = await jetstreamManager(other);
    // The stream's leader answers across the routes; on a loaded machine one request can miss its reply
    // window (a TimeoutError in CI), so the read is asked again until it answers.
    const state = await until(
      () => otherJsm.streams.info("R3"),
      "stream R3's info through the third server",
      60_000,
      100,
    );
    expect(state.state.messages).toBe(1);
    expect(state.cluster?.leader).toMatch(/^n[123]$/);
    expect(state.cluster?.replicas).toHaveLength(2);
    await Promise.all([sys.close(), nc.close(), other.close()]);
  });
});
