import { jetstreamManager, type ConsumerInfo } from "@nats-io/jetstream";
import { Kvm, KvWatchInclude } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { createAccount } from "@nats-io/nkeys";
import { DEAD_LETTER_STREAM, STATS_KEY, Stores, type StatsProjection } from "@natster/protocol";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECTION_BUCKETS } from "../../infra/global/provision.ts";
import {
  deployBridge,
  findBridge,
  projectionDurables,
  rebuildProjections,
  waitForCatchUp,
  type CatchUpProgress,
} from "../../infra/global/rebuild.ts";
import { readSeedFile, stopWorkload } from "nex-node";
import { NEX_NAMESPACE } from "../../infra/stack/nex-component.ts";
import { publicAuthorityClient } from "../support/authority.ts";
import { parseJson, runNatster } from "../support/cli-runner.ts";
import { startFullStack, type FullStack } from "../support/full-stack.ts";
import { pool, until } from "@natster/test-kit";
import {
  initialize,
  newMember,
  projectionsCaughtUp,
  readEventLog,
  requestRaw,
  snapshotProjections,
  type Member,
  type Snapshot,
} from "../support/global-service.ts";
import { expectedProjections } from "../support/projection-model.ts";

/** How many events the rebuild-equals-live test appends through events.put (NATSTER_REBUILD_EVENTS raises it). */
const TARGET_EVENTS = Number(process.env.NATSTER_REBUILD_EVENTS ?? 1000);
const PARALLEL = 8;
/** Generous bounds for a loaded 2-core machine (a quiet one replays about 40 events a second). */
const REPLAY_TIMEOUT_MS = Math.max(120_000, TARGET_EVENTS * 100);

describe("projections: rebuild from the log, catch-up after downtime", () => {
  let stack: FullStack;
  let global: NatsConnection;
  let members: Member[];
  const durables = projectionDurables();

  const answers = async () => ({
    whoami: await Promise.all(members.map((m) => m.global.whoami())),
    shares: await Promise.all(members.map((m) => m.global.myShares())),
    stats: await members[0]!.global.stats(),
  });
  const consumers = async (): Promise<Record<string, ConsumerInfo>> => {
    const jsm = await jetstreamManager(global);
    return Object.fromEntries(
      await Promise.all(durables.map(async (d) => [d, await jsm.consumers.info(Stores.eventsStream, d)] as const)),
    );
  };
  const streamState = async () => (await (await jetstreamManager(global)).streams.info(Stores.eventsStream)).state;
  const share = (m: Member, catalog: string, target: string) =>
    m.global.putEvent({ catalog, target, event_type: "catalog_shared", data: null });
  const unshare = (m: Member, catalog: string, target: string) =>
    m.global.putEvent({ catalog, target, event_type: "catalog_unshared", data: null });

  /** What the projector built, checked against an independent reading of the whole log. */
  async function expectProjectionsMatchLog(snapshot: Snapshot): Promise<void> {
    const expected = expectedProjections(await readEventLog(global));
    for (const bucket of PROJECTION_BUCKETS) {
      const actual = Object.fromEntries(
        Object.entries(snapshot[bucket] ?? {}).map(([k, v]) => [k, JSON.parse(v) as unknown]),
      );
      expect(actual, `${bucket} against the log`).toEqual(expected[bucket]);
    }
  }

  beforeAll(async () => {
    stack = await startFullStack();
    global = await stack.connect("global", "test-global");
    const authority = await publicAuthorityClient(stack);
    members = await Promise.all(Array.from({ length: 8 }, (_, i) => newMember(stack, authority, `m${i}`)));
    await Promise.all(members.map(initialize));
    const publicNc = await stack.connect("public", "test-public");
    for (const [i, m] of members.entries()) {
      await share(m, `w${i}`, members[(i + 1) % 8]!.key);
      await share(m, `w${i}`, members[(i + 2) % 8]!.key);
    }
    await share(members[0]!, "w0", createAccount().getPublicKey()); // a never-initialized account
    await projectionsCaughtUp(global);
    await unshare(members[0]!, "w0", members[1]!.key);
    // A bound context too (written by otc.claim).
    const { code } = await members[3]!.global.otcGenerate("c2VhbGVk");
    expect(await requestRaw(publicNc, "natster.global.otc.claim", { code })).toMatchObject({ code: 200 });
    await projectionsCaughtUp(global);
  }, 180_000);
  afterAll(() => stack?.stop());

  it("deleting every projection bucket, then `natster admin rebuild-projections`, gives back the same answers", async () => {
    const before = await answers();
    const snapshot = await snapshotProjections(global);
    await expectProjectionsMatchLog(snapshot);
    expect(before.stats.total_initialized).toBe(8);
    expect(before.whoami[3]).toMatchObject({ bound: true });

    const jsm = await jetstreamManager(global);
    for (const bucket of PROJECTION_BUCKETS) await jsm.streams.delete(`KV_${bucket}`);
    // The buckets are really gone: the shares and the stats are (whoami still answers from the log).
    expect(await members[2]!.global.myShares()).toEqual([]);
    expect(await members[2]!.global.stats()).toEqual({ total_initialized: 0, running_catalogs: 0, share_count: 0 });

    const home = join(stack.dir, "home");
    const cli = await runNatster(["--json", "--server", stack.url, "admin", "rebuild-projections", "--timeout", "60"], {
      NATSTER_STACK_DIR: stack.dir,
      NATSTER_HOME: home,
    });
    expect(cli.code, cli.stderr).toBe(0);
    const result = parseJson<{ events: number; seconds: number }>(cli);
    expect(result.events).toBe((await streamState()).messages);
    expect(result.seconds).toBeGreaterThan(0);

    expect(await answers()).toEqual(before);
    expect(await snapshotProjections(global)).toEqual(snapshot);
    for (const bucket of PROJECTION_BUCKETS) {
      const info = await jsm.streams.info(`KV_${bucket}`);
      expect({ history: info.config.max_msgs_per_subject, description: info.config.description }).toEqual({
        history: 1,
        description: "Natster projection",
      });
    }
    expect((await findBridge(global)).length, "exactly one bridge runs again").toBe(1);
  });

  it("after the bridge was stopped through the Nex control API, the projections catch up and apply every event exactly once", async () => {
    const [bridge] = await findBridge(global);
    expect(bridge, "the trigger bridge runs").toBeDefined();
    const { nodeId, workloadId } = bridge!;
    const stop = (issuer = readSeedFile(join(stack.dir, "keys", "nex-issuer.nk"), "account")) =>
      stopWorkload(global, { namespace: NEX_NAMESPACE, nodeId, workloadId, issuer });
    await expect(stop(createAccount()), "only the deploying issuer may stop it").rejects.toThrow(/issuer/);
    expect(await stop()).toMatchObject({ stopped: true });
    expect(await findBridge(global)).toEqual([]);

    const statsKv = await new Kvm(global).open(Stores.statsProjection);
    const statsBefore = (await statsKv.get(STATS_KEY))!;
    const consumersBefore = await consumers();
    const seqBefore = (await streamState()).last_seq;
    const statWrites: StatsProjection[] = [];
    const watch = await statsKv.watch({ key: STATS_KEY, include: KvWatchInclude.UpdatesOnly });
    void (async () => {
      for await (const e of watch) if (e.operation === "PUT") statWrites.push(e.json<StatsProjection>());
    })();

    // While the bridge is down: 20 new shares per account and 8 unshares of shares made before.
    const work: (() => Promise<unknown>)[] = [];
    for (const [i, m] of members.entries()) {
      for (let k = 0; k < 20; k++) work.push(() => share(m, `down${i}x${k % 5}`, members[(i + 1 + (k % 4)) % 8]!.key));
      work.push(() => unshare(m, `w${i}`, members[(i + 2) % 8]!.key));
    }
    await pool(work, PARALLEL, (w) => w());
    const appended = work.length;
    const seqAfter = (await streamState()).last_seq;
    expect(seqAfter - seqBefore, "every accepted put is one event").toBe(appended);
    const waiting = await consumers();
    for (const d of durables)
      expect(waiting[d]!.num_pending, `${d} holds the events while the bridge is down`).toBe(appended);
    expect((await statsKv.get(STATS_KEY))!.revision, "nothing was projected meanwhile").toBe(statsBefore.revision);

    await deployBridge(global, { stackDir: stack.dir, natsUrl: stack.url, nodeId });
    await waitForCatchUp(global, { durables, timeoutMs: 60_000, pollMs: 25 });

    const after = await consumers();
    for (const d of durables) {
      const [b, a] = [consumersBefore[d]!, after[d]!];
      expect(a.delivered.consumer_seq - b.delivered.consumer_seq, `${d}: each event delivered once`).toBe(appended);
      expect({
        stream_seq: a.delivered.stream_seq,
        ack_floor: a.ack_floor.stream_seq,
        redelivered: a.num_redelivered,
        ack_pending: a.num_ack_pending,
      }).toEqual({
        stream_seq: seqAfter,
        ack_floor: seqAfter,
        redelivered: 0,
        ack_pending: 0,
      });
    }
    // Every one of these events changes the share count; the projector takes them in batches, so
    // PROJ_STATS is written once per call: always forward, always at one of these events, ending at the last.
    const seqs = Array.from({ length: appended }, (_, i) => seqBefore + 1 + i);
    await until(
      () => (statWrites.at(-1)?.applied_seq === seqAfter ? true : undefined),
      `PROJ_STATS at seq ${seqAfter} (seen ${statWrites.at(-1)?.applied_seq})`,
      5000,
    );
    const written = statWrites.map((s) => s.applied_seq);
    expect(written).toEqual([...written].sort((a, b) => a - b));
    expect(new Set(written).size).toBe(written.length);
    expect(written.every((seq) => seqs.includes(seq))).toBe(true);
    const old = statsBefore.json<StatsProjection>();
    expect(statWrites.at(-1)).toEqual({
      total_initialized: old.total_initialized,
      share_count: old.share_count + 160 - 8,
      applied_seq: seqAfter,
    });
    watch.stop();
    await expectProjectionsMatchLog(await snapshotProjections(global));
  });

  it(
    `rebuilding equals the live projections, key for key and byte for byte, over ${TARGET_EVENTS}+ events put by 8 accounts`,
    async () => {
      // Shares of distinct (catalog, target) pairs, then half of them unshared, then a quarter re-shared, with
      // a few catalog_imported events mixed in; each phase is appended 8 at a time while the projector runs.
      const pairs: [Member, string, string][] = [];
      const perAccount = Math.ceil(TARGET_EVENTS / 1.85 / members.length);
      for (const [i, m] of members.entries()) {
        for (let k = 0; k < perAccount; k++)
          pairs.push([m, `g${i}c${Math.floor(k / 7)}`, members[(i + 1 + (k % 7)) % 8]!.key]);
      }
      const seqStart = (await streamState()).last_seq;
      await pool(pairs, PARALLEL, ([m, catalog, target]) => share(m, catalog, target));
      await projectionsCaughtUp(global, REPLAY_TIMEOUT_MS);
      const unshared = pairs.filter((_, n) => n % 2 === 0);
      const imports = pairs.filter((_, n) => n % 10 === 1);
      await pool(
        [...unshared.map((p) => ["u", ...p] as const), ...imports.map((p) => ["i", ...p] as const)],
        PARALLEL,
        ([what, m, catalog, target]) =>
          what === "u"
            ? unshare(m, catalog, target)
            : m.global.putEvent({ catalog, target, event_type: "catalog_imported", data: null }),
      );
      await projectionsCaughtUp(global, REPLAY_TIMEOUT_MS);
      await pool(
        unshared.filter((_, n) => n % 2 === 0),
        PARALLEL,
        ([m, catalog, target]) => share(m, catalog, target),
      );
      const live = await projectionsCaughtUp(global, REPLAY_TIMEOUT_MS);
      expect(live.last_seq - seqStart).toBeGreaterThanOrEqual(TARGET_EVENTS);

      const liveSnapshot = await snapshotProjections(global);
      const liveAnswers = await answers();
      await expectProjectionsMatchLog(liveSnapshot);

      const progress: CatchUpProgress[][] = [];
      const result = await rebuildProjections(global, {
        stackDir: stack.dir,
        natsUrl: stack.url,
        timeoutMs: REPLAY_TIMEOUT_MS,
        onProgress: (p) => progress.push(p),
      });
      expect(result.events).toBe(live.messages);
      expect(progress.length, "progress was reported while replaying").toBeGreaterThan(1);
      expect(progress.at(-1)!.every((p) => p.acked === live.last_seq && p.pending === 0)).toBe(true);

      const rebuilt = await snapshotProjections(global);
      expect(Object.keys(rebuilt[Stores.accountProjection]!).length).toBe(
        Object.keys(liveSnapshot[Stores.accountProjection]!).length,
      );
      expect(rebuilt).toEqual(liveSnapshot);
      expect(await answers()).toEqual(liveAnswers);
      const dead = await (await jetstreamManager(global)).streams.info(DEAD_LETTER_STREAM);
      expect(dead.state.messages, "no event was parked").toBe(0);
    },
    4 * REPLAY_TIMEOUT_MS,
  );
});
