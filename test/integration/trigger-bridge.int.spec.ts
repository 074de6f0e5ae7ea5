import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { JetStreamTriggerEvent } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { DEAD_LETTER_HEADERS } from "../../workloads/trigger-bridge/src/dead-letters.ts";
import { range, until } from "@natster/test-kit";
import { runBridge, runBridgeProcess } from "../../workloads/trigger-bridge/test/run-bridge.ts";
import { StandInFunction, type Answer } from "../../workloads/trigger-bridge/test/stand-in-function.ts";
import { createTestStream, deadLettersOf } from "../../workloads/trigger-bridge/test/test-stream.ts";
import { startTestStack } from "../support/test-stack.ts";
import { suiteStack } from "../support/suite-stack.ts";

describe("JetStream trigger bridge", () => {
  const suite = suiteStack(startTestStack, async (stack) => ({
    nc: await stack.connect("global", "stand-in-functions"),
  }));

  it("given a function failing its first calls, when 50 events arrive, then each is applied exactly once and in stream order", async () => {
    const events = await createTestStream(suite.nc, "order");
    const publishedFrom = Date.now();
    const failures: Answer[] = ["fail", "garbage", "silent", "fail", "fail"];
    const fn = await new StandInFunction(suite.nc, "fn.order.projection", {
      behaviour: (_e, call) => failures[call - 1] ?? "ok",
    }).start();
    await events.publish(25);
    const { lines } = await runBridge(suite.stack, [
      events.spec("projection", { trigger_subject: fn.subject, request_timeout_ms: 500 }),
    ]);
    await events.publish(25, 26);

    await fn.waitForApplied(50);
    expect(fn.appliedSeqs()).toEqual(range(1, 50));
    expect(fn.callsFor(1).map((e) => e.delivery)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(fn.calls).toHaveLength(55);
    expect(fn.applied[0]).toEqual<JetStreamTriggerEvent>({
      stream: events.name,
      seq: 1,
      subject: `${events.prefix}.item`,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string,
      delivery: 6,
      data: '{"n":1}',
    });
    // The stream's own timestamp, taken when the test published (same host clock).
    const stamped = Date.parse(fn.applied[0]?.time ?? "");
    expect(stamped).toBeGreaterThanOrEqual(publishedFrom - 1);
    expect(stamped).toBeLessThanOrEqual(Date.now());
    expect(
      lines.filter((l) => /seq 1 .* failed: (stand-in says no|unparseable reply|no reply .* within 500 ms)/.test(l)),
    ).toHaveLength(5);
    expect(await deadLettersOf(suite.nc, "projection")).toHaveLength(0);
  });

  it("given a function that never answers one event and refuses another, then both are parked and later events still flow", async () => {
    const events = await createTestStream(suite.nc, "park");
    const answer = (e: JetStreamTriggerEvent): Answer => (e.seq === 3 ? "silent" : e.seq === 5 ? "refuse" : "ok");
    const fn = await new StandInFunction(suite.nc, "fn.park.projection", { behaviour: answer }).start();
    await events.publish(8);
    const { lines } = await runBridge(suite.stack, [
      events.spec("parking", { trigger_subject: fn.subject, max_deliver: 3, request_timeout_ms: 300 }),
    ]);

    await fn.waitForApplied(6);
    expect(fn.appliedSeqs()).toEqual([1, 2, 4, 6, 7, 8]);
    expect(fn.callsFor(3).map((e) => e.delivery)).toEqual([1, 2, 3]);
    expect(fn.callsFor(5).map((e) => e.delivery)).toEqual([1]);

    const parked = await deadLettersOf(suite.nc, "parking");
    expect(parked.map((m) => m.header.get(DEAD_LETTER_HEADERS.seq))).toEqual(["3", "5"]);
    const [silent, refused] = parked;
    expect(silent?.json<JetStreamTriggerEvent>()).toMatchObject({
      stream: events.name,
      seq: 3,
      delivery: 3,
      data: '{"n":3}',
    });
    expect(silent?.header.get(DEAD_LETTER_HEADERS.stream)).toBe(events.name);
    expect(silent?.header.get(DEAD_LETTER_HEADERS.subject)).toBe(`${events.prefix}.item`);
    expect(silent?.header.get(DEAD_LETTER_HEADERS.delivery)).toBe("3");
    expect(silent?.header.get(DEAD_LETTER_HEADERS.error)).toMatch(/no reply on fn\.park\.projection within 300 ms/);
    expect(refused?.header.get(DEAD_LETTER_HEADERS.error)).toBe("stand-in refuses this event");
    expect(lines.filter((l) => /parked/.test(l))).toHaveLength(2);
  });

  it("given a bridge stopped mid-stream, when a new one starts, then nothing is lost and nothing is applied twice", async () => {
    const events = await createTestStream(suite.nc, "restart");
    // Mid-stream by construction: the stand-in applies the first 10 events, then stays silent until released.
    let holding = true;
    const fn = await new StandInFunction(suite.nc, "fn.restart.projection", {
      behaviour: (e) => (holding && e.seq > 10 ? "silent" : "ok"),
    }).start();
    const spec = events.spec("restart", { trigger_subject: fn.subject, request_timeout_ms: 1000 });
    await events.publish(40);

    const first = await runBridge(suite.stack, [spec]);
    await fn.waitForApplied(10);
    await first.bridge.stop();
    expect(fn.appliedSeqs(), "the bridge was stopped mid-stream").toEqual(range(1, 10));
    holding = false;

    // The restart also changes ack_wait: the durable is updated in place, keeping its position.
    await runBridge(suite.stack, [{ ...spec, ack_wait_ms: 20_000 }]);
    await fn.waitForApplied(40);
    expect(fn.appliedSeqs()).toEqual(range(1, 40));
    const jsm = await jetstreamManager(suite.nc);
    expect((await jsm.consumers.info(events.name, "restart")).config.ack_wait).toBe(20_000 * 1e6);
  });

  it("given main.ts killed with SIGKILL mid-stream, when it runs again, then every event is applied once and SIGTERM exits cleanly", async () => {
    const events = await createTestStream(suite.nc, "crash");
    let holding = true;
    const fn = await new StandInFunction(suite.nc, "fn.crash.projection", {
      behaviour: (e) => (holding && e.seq > 10 ? "silent" : "ok"),
    }).start();
    // A short ack_wait: what the killed bridge held comes back quickly.
    const spec = events.spec("crash", { trigger_subject: fn.subject, ack_wait_ms: 2000, request_timeout_ms: 1000 });
    await events.publish(40);

    const first = runBridgeProcess(suite.stack, [spec]);
    await fn.waitForApplied(10);
    first.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    expect(fn.appliedSeqs(), "the bridge was killed mid-stream").toEqual(range(1, 10));
    holding = false;

    const second = runBridgeProcess(suite.stack, [spec]);
    await fn.waitForApplied(40);
    expect(fn.appliedSeqs()).toEqual(range(1, 40));

    second.kill("SIGTERM");
    const exit = await second.exited;
    expect(exit.code, second.output()).toBe(0);
    expect(second.output()).toMatch(/trigger-bridge: ready: TEST_EVENTS_CRASH\/crash -> fn\.crash\.projection/);
    expect(second.output()).toMatch(/SIGTERM: stopping/);
  });

  it("given two triggers on one stream, when one function is absent, then the other progresses and each catches up on its own", async () => {
    const events = await createTestStream(suite.nc, "pair");
    const present = await new StandInFunction(suite.nc, "fn.pair.present").start();
    const late = new StandInFunction(suite.nc, "fn.pair.late");
    await events.publish(20);
    const { lines } = await runBridge(suite.stack, [
      events.spec("late", { trigger_subject: late.subject, max_deliver: 2 }),
      events.spec("present", { trigger_subject: present.subject, max_deliver: 2 }),
    ]);

    await present.waitForApplied(20);
    expect(late.calls).toHaveLength(0);
    await late.start();
    await late.waitForApplied(20);

    await present.stop();
    await events.publish(10, 21);
    await late.waitForApplied(30);
    expect(present.applied).toHaveLength(20);
    await present.start();
    await present.waitForApplied(30);

    expect(late.appliedSeqs()).toEqual(range(1, 30));
    expect(present.appliedSeqs()).toEqual(range(1, 30));
    // Waiting for an absent function spends no delivery attempt, so nothing was parked.
    expect(late.applied.every((e) => e.delivery === 1)).toBe(true);
    expect(await deadLettersOf(suite.nc, "late")).toHaveLength(0);
    expect(await deadLettersOf(suite.nc, "present")).toHaveLength(0);
    expect(lines.some((l) => l.startsWith("late: ") && /no responders on fn\.pair\.late; holding/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith("present: ") && /no responders on fn\.pair\.present; holding/.test(l))).toBe(
      true,
    );
  });

  it("given several filter subjects (nats-server 2.9: one filter per consumer), then the bridge skips the other subjects itself", async () => {
    const events = await createTestStream(suite.nc, "filters");
    const fn = await new StandInFunction(suite.nc, "fn.filters.projection").start();
    const p = events.prefix;
    await events.publishOn([`${p}.a.1`, `${p}.c.1`, `${p}.b.x.y`, `${p}.a.2.3`, `${p}.b.z`, `${p}.a.4`]);
    await runBridge(suite.stack, [
      events.spec("filtered", { trigger_subject: fn.subject, filter_subjects: [`${p}.a.*`, `${p}.b.>`] }),
    ]);

    await fn.waitForApplied(4);
    expect(fn.applied.map((e) => e.subject)).toEqual([`${p}.a.1`, `${p}.b.x.y`, `${p}.b.z`, `${p}.a.4`]);
    expect(fn.calls).toHaveLength(4);
    const jsm = await jetstreamManager(suite.nc);
    const consumerAcked = async () => {
      const info = await jsm.consumers.info(events.name, "filtered");
      return info.ack_floor.stream_seq === 6 && info.num_ack_pending === 0 && !info.config.filter_subject;
    };
    await until(
      consumerAcked,
      () => "consumer 'filtered' unfiltered with every message acked, the skipped ones included",
      5000,
    );
  });

  it("given a batched trigger, when events arrive and one of them is refused, then the rest are applied once in order in batches and only that one is parked", async () => {
    const events = await createTestStream(suite.nc, "batched");
    let failedOnce = false;
    const fn = await new StandInFunction(suite.nc, "fn.batched.projection", {
      behaviour: (e) => {
        if (e.seq === 33) return "refuse";
        if (e.seq === 5 && !failedOnce) return ((failedOnce = true), "fail");
        return "ok";
      },
    }).start();
    await events.publish(40);
    await runBridge(suite.stack, [events.spec("batched", { trigger_subject: fn.subject, batch_max_events: 10 })]);
    await events.publish(20, 41);

    await fn.waitForApplied(59);
    expect(fn.appliedSeqs()).toEqual(range(1, 60).filter((s) => s !== 33));
    expect(fn.batches.some((b) => b.seqs.length > 1)).toBe(true);
    expect(fn.batches.every((b) => b.seqs.length <= 10 && b.through >= (b.seqs[b.seqs.length - 1] ?? 0))).toBe(true);
    expect(fn.batches.filter((b) => b.seqs.includes(33) && b.seqs.length === 1)).toHaveLength(1);
    await until(
      async () => (await deadLettersOf(suite.nc, "batched")).length === 1,
      () => "seq 33 parked",
    );
    const [parked] = await deadLettersOf(suite.nc, "batched");
    expect(parked?.header.get(DEAD_LETTER_HEADERS.seq)).toBe("33");
    expect(parked?.header.get(DEAD_LETTER_HEADERS.error)).toBe("stand-in refuses this event");
  });

  it("given a batched trigger whose calls hold more than one payload, when events arrive, then each call carries them in parts its function fetches, and every event is applied once in order", async () => {
    const events = await createTestStream(suite.nc, "parts");
    const fn = await new StandInFunction(suite.nc, "fn.parts.projection").start();
    await events.publish(100);
    const spec = { trigger_subject: fn.subject, batch_max_events: 40, batch_max_bytes: 600, batch_max_parts: 8 };
    await runBridge(suite.stack, [events.spec("parts", spec)]);
    await events.publish(30, 101);

    await fn.waitForApplied(130);
    expect(fn.appliedSeqs()).toEqual(range(1, 130));
    expect(fn.batches.some((b) => b.parts > 0 && b.seqs.length > 20)).toBe(true);
    expect(fn.batches.every((b) => b.seqs.length <= 40 && b.parts < 8)).toBe(true);
  });

  it("given two batched triggers sharing one durable, one of them filtered, when events arrive and the filtered one refuses one, then each gets its events once in order from one delivery of each message", async () => {
    const events = await createTestStream(suite.nc, "shared");
    const every = await new StandInFunction(suite.nc, "fn.shared.every").start();
    const odd = await new StandInFunction(suite.nc, "fn.shared.odd", {
      behaviour: (e) => (e.seq === 7 ? "refuse" : "ok"),
    }).start();
    const subjects = range(1, 30).map((n) => `${events.prefix}.${n % 2 === 1 ? "odd" : "even"}`);
    await events.publishOn(subjects.slice(0, 20));
    const shared = { durable: "shared", batch_max_events: 8 };
    await runBridge(suite.stack, [
      events.spec("shared", { ...shared, trigger_subject: every.subject }),
      events.spec("shared", { ...shared, trigger_subject: odd.subject, filter_subjects: [`${events.prefix}.odd`] }),
    ]);
    const js = jetstream(suite.nc);
    for (const [i, subject] of subjects.slice(20).entries()) await js.publish(subject, JSON.stringify({ n: 21 + i }));

    await every.waitForApplied(30);
    await odd.waitForApplied(14);
    expect(every.appliedSeqs()).toEqual(range(1, 30));
    expect(odd.appliedSeqs()).toEqual(range(1, 30).filter((s) => s % 2 === 1 && s !== 7));
    expect(every.batches.every((b) => b.seqs.length <= 8)).toBe(true);
    expect(odd.batches.every((b) => b.seqs.every((s) => s % 2 === 1))).toBe(true);
    await until(
      async () => (await deadLettersOf(suite.nc, "shared")).length === 1,
      () => "seq 7 parked for the filtered function",
    );
    const [parked] = await deadLettersOf(suite.nc, "shared");
    expect(parked?.header.get(DEAD_LETTER_HEADERS.seq)).toBe("7");
    expect(parked?.header.get(DEAD_LETTER_HEADERS.trigger)).toBe(odd.subject);
    // One consumer delivered every message once and took one ack per batch for both functions.
    const jsm = await jetstreamManager(suite.nc);
    const consumers = await jsm.consumers.list(events.name).next();
    expect(consumers.map((c) => c.name)).toEqual(["shared"]);
    await until(
      async () => {
        const info = await jsm.consumers.info(events.name, "shared");
        return info.ack_floor.stream_seq === 30 && info.num_ack_pending === 0;
      },
      () => "consumer 'shared' acked through seq 30",
    );
    const info = await jsm.consumers.info(events.name, "shared");
    expect({
      policy: info.config.ack_policy,
      delivered: info.delivered.consumer_seq,
      redelivered: info.num_redelivered,
    }).toEqual({
      policy: "all",
      delivered: 30,
      redelivered: 0,
    });
  });

  it("given an unordered trigger, when one event fails, then later events do not wait for it", async () => {
    const events = await createTestStream(suite.nc, "loose");
    const fn: StandInFunction = await new StandInFunction(suite.nc, "fn.loose.projection", {
      behaviour: (e) => (e.seq === 2 && fn.applied.length < 9 ? "fail" : "ok"),
    }).start();
    await events.publish(10);
    await runBridge(suite.stack, [events.spec("loose", { trigger_subject: fn.subject, ordered: false })]);

    await fn.waitForApplied(10);
    expect(fn.appliedSeqs().at(-1)).toBe(2);
    expect([...fn.appliedSeqs()].sort((a, b) => a - b)).toEqual(range(1, 10));
  });
});
