import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { createAccount } from "@nats-io/nkeys";
import { DEAD_LETTER_STREAM, NONE, Stores, type EventType, type StoredEvent } from "@natster/protocol";
import { prng } from "@natster/test-kit";
import { randomBytes } from "node:crypto";
import { rebuildProjections, stopBridge } from "../infra/global/rebuild.ts";
import { median, round } from "./lib/stats.ts";
import { compared } from "./lib/compare.ts";
import { cpuBetween, replayCpu, type CpuSnapshot } from "./lib/replay-cpu.ts";
import type { Bench, BenchContext, Measurement } from "./lib/types.ts";

const enc = new TextEncoder();

type LogEvent = { subject: string; body: StoredEvent };

/**
 * A realistic log of `n` events among `accountCount` accounts: every account initialized first,
 * then shares and unshares of each owner's three catalogs (unshares of existing shares, so the
 * projections stay a realistic size) and some imports. Exactly what `events.put` would store.
 */
export function generateEvents(n: number, accountCount: number): LogEvent[] {
  const rand = prng(7);
  const accounts = Array.from({ length: accountCount }, () => createAccount().getPublicKey());
  const pick = () => Math.floor(rand() * accountCount);
  const shared = new Map<string, string[]>();
  const start = Date.parse("2026-01-01T00:00:00Z");
  const out: LogEvent[] = [];
  const add = (from: string, to: string, catalog: string, type: EventType, data: unknown) => {
    const body: StoredEvent = {
      id: randomBytes(16).toString("hex"),
      time: new Date(start + out.length * 1000).toISOString(),
      event_type: type,
      data,
    };
    out.push({ subject: `natster.events.${from}.${to}.${catalog}.${type}`, body });
  };
  for (const a of accounts.slice(0, Math.min(n, accountCount)))
    add(a, NONE, NONE, "natster_initialized", { account_key: a, account_name: `user-${a.slice(1, 7)}` });
  while (out.length < n) {
    const i = pick();
    const owner = accounts[i]!;
    const catalog = `a${i}c${Math.floor(rand() * 3)}`;
    const key = `${owner}.${catalog}`;
    const targets = shared.get(key) ?? [];
    const r = rand();
    if (r < 0.1 && targets.length > 0) {
      add(targets[Math.floor(rand() * targets.length)]!, owner, catalog, "catalog_imported", null);
    } else if (r < 0.45 && targets.length > 0) {
      const j = Math.floor(rand() * targets.length);
      add(owner, targets[j]!, catalog, "catalog_unshared", null);
      targets.splice(j, 1);
    } else {
      let to = accounts[pick()]!;
      if (to === owner) to = accounts[(i + 1) % accountCount]!;
      add(owner, to, catalog, "catalog_shared", null);
      if (!targets.includes(to)) targets.push(to);
      shared.set(key, targets);
    }
  }
  return out;
}

async function append(nc: NatsConnection, events: readonly LogEvent[]): Promise<void> {
  const js = jetstream(nc);
  const BATCH = 500;
  for (let i = 0; i < events.length; i += BATCH) {
    await Promise.all(events.slice(i, i + BATCH).map((e) => js.publish(e.subject, enc.encode(JSON.stringify(e.body)))));
  }
}

/** The baseline: a raw durable pull consumer that fetches and acks every message of NATSTER_EVENTS; events/s. */
async function rawConsume(nc: NatsConnection, name: string): Promise<{ perSecond: number; messages: number }> {
  const jsm = await jetstreamManager(nc);
  const { state } = await jsm.streams.info(Stores.eventsStream);
  await jsm.consumers.add(Stores.eventsStream, {
    durable_name: name,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
  });
  try {
    const consumer = await jetstream(nc).consumers.get(Stores.eventsStream, name);
    const started = performance.now();
    const messages = await consumer.consume({ max_messages: 256 });
    let n = 0;
    for await (const m of messages) {
      m.ack();
      if (++n >= state.messages) break;
    }
    await nc.flush();
    return { perSecond: n / ((performance.now() - started) / 1000), messages: n };
  } finally {
    await jsm.consumers.delete(Stores.eventsStream, name).catch(() => undefined);
  }
}

async function deadLetters(nc: NatsConnection): Promise<number> {
  const jsm = await jetstreamManager(nc);
  return jsm.streams.info(DEAD_LETTER_STREAM).then(
    (i) => i.state.messages,
    () => 0,
  );
}

/**
 * projection.rebuild_vs_raw_consume: the log gets `n` generated events (appended while the bridge
 * is stopped), then `rebuildProjections` (infra/global/rebuild.ts: stop the bridge, delete its
 * durable(s), empty PROJ_*, redeploy it on the Nex node, wait until the durable acked the whole
 * log) against a raw pull consumer over the same stream, run twice before and twice after it (A A B A A).
 */
export const projectionBench: Bench = {
  name: "projection.rebuild_vs_raw_consume",
  keys: ["projection.rebuild_vs_raw_consume"],
  async run(ctx: BenchContext): Promise<Measurement[]> {
    const world = await ctx.world();
    const nc = world.globalNc;
    const { projectionEvents: n, projectionAccounts } = ctx.sizes;
    let t = performance.now();
    const events = generateEvents(n, projectionAccounts);
    ctx.log(
      `generated ${events.length} events among ${projectionAccounts} accounts in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    await stopBridge(nc, { stackDir: world.stack.dir });
    t = performance.now();
    await append(nc, events);
    ctx.log(`appended them (bridge stopped) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const parkedBefore = await deadLetters(nc);

    // The Nex node's own account of each projection call (function_exec_succeeded: elapsed_nanos).
    const calls = new Map<string, number[]>();
    const callEnds: number[] = [];
    const execs = nc.subscribe("$NEX.events.*.function_exec_succeeded", {
      callback: (_e, m) => {
        const { data } = m.json<{ data?: { workload_name?: string; elapsed_nanos?: number } }>();
        if (!data?.workload_name?.startsWith("project-") || typeof data.elapsed_nanos !== "number") return;
        callEnds.push(performance.now());
        const list = calls.get(data.workload_name) ?? [];
        list.push(data.elapsed_nanos / 1e6);
        calls.set(data.workload_name, list);
      },
    });
    // What the workloads say during the replay (a retried or refused batch is logged by the bridge).
    const workloadLines: string[] = [];
    const workloadLogs = nc.subscribe("$NEX.logs.>", {
      callback: (_e, m) => void workloadLines.push(m.json<{ text?: string }>().text ?? ""),
    });
    await rawConsume(nc, "BENCH_RAW_0"); // warm-up (JIT, stream cache), not counted
    const before = [await rawConsume(nc, "BENCH_RAW_1"), await rawConsume(nc, "BENCH_RAW_2")];
    let deployedAt = 0;
    let cpuAtDeploy: CpuSnapshot = replayCpu();
    t = performance.now();
    const rebuilt = await rebuildProjections(nc, {
      stackDir: world.stack.dir,
      natsUrl: world.stack.url,
      nodeId: world.stack.nodeId,
      timeoutMs: 30 * 60_000,
      log: (line) => {
        if (!line.startsWith("deployed")) return;
        deployedAt = performance.now();
        cpuAtDeploy = replayCpu();
      },
    });
    const total = (performance.now() - t) / 1000;
    const replayCpuSeconds = cpuBetween(cpuAtDeploy, replayCpu());
    ctx.log(`CPU seconds during the replay: ${JSON.stringify(replayCpuSeconds)}`);
    const sinceDeploy = (at: number | undefined) => (at === undefined ? "-" : ((at - deployedAt) / 1000).toFixed(2));
    ctx.log(
      `after the deploy: first call answered at ${sinceDeploy(callEnds[0])} s, last at ${sinceDeploy(callEnds[callEnds.length - 1])} s, caught up seen at ${sinceDeploy(performance.now())} s`,
    );
    execs.unsubscribe();
    workloadLogs.unsubscribe();
    const failures = workloadLines.filter((l) => /fail|refused|parked|error/i.test(l));
    if (failures.length > 0)
      ctx.log(`${failures.length} workload log lines about failures, the first: ${failures.slice(0, 5).join(" | ")}`);
    const callFigures = Object.fromEntries(
      [...calls].flatMap(([name, ms]) => [
        [`${name}_calls`, ms.length],
        [`${name}_call_ms_mean`, round(ms.reduce((a, b) => a + b, 0) / Math.max(1, ms.length), 1)],
        [`${name}_call_s_total`, round(ms.reduce((a, b) => a + b, 0) / 1000, 2)],
      ]),
    );
    ctx.log(`projection calls: ${JSON.stringify(callFigures)}`);
    const replay = deployedAt > 0 ? (performance.now() - deployedAt) / 1000 : total;
    const after = [await rawConsume(nc, "BENCH_RAW_3"), await rawConsume(nc, "BENCH_RAW_4")];
    const raws = [...before, ...after].map((r) => r.perSecond);
    const parked = (await deadLetters(nc)) - parkedBefore;
    // The figure is the replay: from the bridge's deployment to the projection durable having acked the whole
    // log, like the baseline's own consume (stopping, deleting and purging first is reported apart).
    const rate = rebuilt.events / replay;
    const rawRate = median(raws);
    ctx.log(
      `rebuild of ${rebuilt.events} events: ${total.toFixed(1)} s end to end (${(rebuilt.events / total).toFixed(0)} events/s); replay ${replay.toFixed(1)} s (${rate.toFixed(0)} events/s); raw consumer ${raws.map((r) => r.toFixed(0)).join("/")} events/s`,
    );
    return [
      compared({
        key: "projection.rebuild_vs_raw_consume",
        unit: "events/s",
        baselineLabel: "raw pull consumer, fetch + ack every message",
        a: [rate],
        b: raws,
        digits: 0,
        ratio: round(rate / rawRate, 4),
        target: { kind: "min", value: 0.25 },
        extra: {
          events_in_log: rebuilt.events,
          generated_events: n,
          rebuild_seconds: round(total, 2),
          replay_seconds: round(replay, 2),
          rebuild_events_per_s: round(rebuilt.events / total, 0),
          parked_events: parked,
          ...callFigures,
          ...Object.fromEntries(Object.entries(replayCpuSeconds).map(([k, v]) => [`replay_cpu_s ${k}`, v])),
        },
        notes: [
          "rebuildProjections (stop the bridge, delete its durables, purge PROJ_* and PROJ_CURSOR, redeploy the bridge on the Nex node, wait for the projection durable to ack the whole log); value = events / replay seconds (from the redeploy to caught up), rebuild_seconds is end to end; the bridge replays the log once: both projections share the durable PROJECTIONS (each event delivered, parsed and encoded once, one ack per batch), and each batch goes to both v8 functions at once, up to PROJECTION_BATCH_EVENTS events per call (compact rows: a subject token table; in up to PROJECTION_BATCH_PARTS parts of 900 KB, the payload then parts the function fetches from the bridge; project-catalog gets the shares and unshares; a replay's first batches are a quarter and a half of that), each reading every touched key once (values as JSON, KvReadRequest.json) and writing each changed key once (publishes, then one acknowledged write and a revision check)",
          "baseline: one raw durable pull consumer (consume(), batches of 256), ack per message, over the same stream, twice before and twice after the rebuild (after one untimed warm-up); median",
        ],
      }),
    ];
  },
};
