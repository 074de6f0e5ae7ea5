import {
  PROJECTION_BATCH_EVENTS,
  PROJECTION_BATCH_PARTS,
  triggerBatchEvents,
  type JetStreamTriggerBatch,
  type JetStreamTriggerEvent,
} from "@natster/protocol";
import { prng } from "@natster/test-kit";
import { describe, expect, it } from "vitest";
import { BatchParts } from "./batch-parts.ts";
import { planBatches, singleBatch, type PlannedCall } from "./batches.ts";
import { TRIGGER_DEFAULTS } from "./config.ts";
import { MessageBuffer } from "./message-buffer.ts";

const event = (seq: number, data = "{}"): JetStreamTriggerEvent => ({
  stream: "S",
  seq,
  subject: `s.${seq}`,
  time: "2026-01-01T00:00:00.000Z",
  delivery: 1,
  data,
});

/** Twenty events of about 300 bytes each: more than one 2,000-byte call holds. */
const twentyBigEvents = () => Array.from({ length: 20 }, (_, i) => event(i + 1, "x".repeat(300)));
const parsed = (body: string) => JSON.parse(body) as JetStreamTriggerBatch;
/** A planned call as its function reads it: `through`, `reads` and the events, whatever the form. */
const read = (body: string) => {
  const batch = parsed(body);
  return { stream: batch.stream, through: batch.through, reads: batch.reads, events: triggerBatchEvents(batch) };
};

describe("planning batched calls", () => {
  it("given fewer events than a batch, then one call whose through is the last message taken", () => {
    const calls = planBatches("S", [event(3), event(5)], 8, 10, 10_000);
    expect(calls.map((c) => read(c.body))).toEqual([
      { stream: "S", through: 8, reads: undefined, events: [event(3), event(5)] },
    ]);
  });

  it("given more events than a batch, then calls of at most max_events, each through its own last event but the last", () => {
    const calls = planBatches(
      "S",
      [1, 2, 3, 4, 5].map((s) => event(s)),
      5,
      2,
      10_000,
    ).map((c) => read(c.body));
    expect(calls.map((c) => [c.through, c.events.map((e) => e.seq)])).toEqual([
      [2, [1, 2]],
      [4, [3, 4]],
      [5, [5]],
    ]);
  });

  it("given a byte limit, then every call's JSON stays under it", () => {
    const calls = planBatches("S", twentyBigEvents(), 20, 100, 2000);
    expect(calls.length).toBeGreaterThan(3);
    for (const c of calls) expect(Buffer.byteLength(c.body)).toBeLessThan(2000);
    expect(calls.flatMap((c) => read(c.body).events.map((e) => e.seq))).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it("given the bridge's reads subject, then every call carries it, and a lone event too", () => {
    const calls = planBatches(
      "S",
      [1, 2, 3].map((s) => event(s)),
      3,
      2,
      10_000,
      "_INBOX.reads",
    ).map((c) => parsed(c.body));
    expect(calls.map((c) => c.reads)).toEqual(["_INBOX.reads", "_INBOX.reads"]);
    expect(parsed(singleBatch("S", event(7), "_INBOX.reads"))).toEqual({
      stream: "S",
      through: 7,
      events: [event(7)],
      reads: "_INBOX.reads",
    });
  });

  it("given events with repeated subject tokens, times and odd data, then the compact call names each token once and reads back exactly", () => {
    const events: JetStreamTriggerEvent[] = [
      { ...event(4, '{"a":"\\"quoted\\" \u00e9\u2028"}'), subject: "natster.events.A.B.c1.shared", delivery: 3 },
      { ...event(6, "not json at all"), subject: "natster.events.B.A.c1.shared", time: "2026-01-01T00:00:01.250Z" },
      { ...event(9), subject: "natster.events.A.A.A.A", time: "2025-12-31T23:59:59.999Z" },
    ];
    const [call, ...more] = planBatches("S", events, 12, 10, 10_000);
    expect(more).toEqual([]);
    const batch = parsed(call!.body);
    expect("tokens" in batch && batch.tokens).toEqual(["natster", "events", "A", "B", "c1", "shared"]);
    expect(read(call!.body)).toEqual({ stream: "S", through: 12, reads: undefined, events });
  });

  it("given events repeating their subjects, then a compact call holds far more of them than their plain JSON would", () => {
    const key = (n: number) => `A${String(n).padStart(55, "X")}`;
    const events = Array.from({ length: 2000 }, (_, i) => ({
      ...event(
        i + 1,
        JSON.stringify({
          id: "0".repeat(32),
          time: "2026-01-01T00:00:00.000Z",
          event_type: "catalog_shared",
          data: null,
        }),
      ),
      subject: `natster.events.${key(i % 50)}.${key((i * 7) % 50)}.c${i % 3}.catalog_shared`,
    }));
    const plainBytes = events.reduce((sum, e) => sum + JSON.stringify(e).length + 1, 0);
    const calls = planBatches("S", events, 2000, 10_000, 900_000);
    expect(calls).toHaveLength(1);
    expect(Buffer.byteLength(calls[0]!.body)).toBeLessThan(plainBytes / 2);
  });

  it("given no event (all filtered out), then no call", () => {
    expect(planBatches("S", [], 9, 10, 10_000)).toEqual([]);
  });

  it("given parts allowed and a reads subject, then a call takes max_events in parts each under the byte limit, which read back in order", () => {
    const events = twentyBigEvents();
    const calls = planBatches("S", events, 21, 12, 2000, "_INBOX.reads", 8);
    expect(calls.map((c) => c.events.map((e) => e.seq))).toEqual([
      Array.from({ length: 12 }, (_, i) => i + 1),
      Array.from({ length: 8 }, (_, i) => i + 13),
    ]);
    for (const call of calls) {
      const first = parsed(call.body);
      const bodies = call.parts?.bodies ?? [];
      expect(bodies.length).toBeGreaterThan(0);
      expect("more" in first && first.more).toEqual({ batch: call.parts?.batch, parts: bodies.length });
      for (const body of [call.body, ...bodies]) expect(Buffer.byteLength(body)).toBeLessThan(2000);
      const partEvents = bodies.flatMap((b) =>
        triggerBatchEvents({ ...(JSON.parse(b) as object), stream: "S", through: 0 } as JetStreamTriggerBatch),
      );
      expect([...triggerBatchEvents(first), ...partEvents]).toEqual(call.events);
    }
    expect(calls.map((c) => parsed(c.body).through)).toEqual([12, 21]);
    expect(new Set(calls.map((c) => c.parts?.batch)).size).toBe(2);
  });

  it("given more bytes than its parts hold, then the call ends at its last part and the next call goes on", () => {
    const calls = planBatches("S", twentyBigEvents(), 20, 100, 2000, "_INBOX.reads", 2);
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) expect(call.parts?.bodies.length ?? 0).toBeLessThanOrEqual(1);
    expect(calls.flatMap((c) => c.events.map((e) => e.seq))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("given the projections' limits and a log like the full-size one, then a call takes PROJECTION_BATCH_EVENTS events within PROJECTION_BATCH_PARTS parts", () => {
    // 1,000 accounts (56-character keys), three catalogs each, bodies as events.put stores them.
    const account = (i: number) => `A${i.toString(32).toUpperCase().padStart(55, "B")}`;
    const rand = prng(7);
    const pick = (n: number) => Math.floor(rand() * n);
    const events = Array.from({ length: PROJECTION_BATCH_EVENTS + 100 }, (_, i): JetStreamTriggerEvent => {
      const from = pick(1000);
      const type = pick(3) === 0 ? "catalog_unshared" : "catalog_shared";
      const body = {
        id: "0123456789abcdef0123456789abcdef",
        time: "2026-01-01T00:00:00.000Z",
        event_type: type,
        data: null,
      };
      return {
        stream: "NATSTER_EVENTS",
        seq: i + 1,
        subject: `natster.events.${account(from)}.${account(pick(1000))}.a${from}c${pick(3)}.${type}`,
        time: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
        delivery: 1,
        data: JSON.stringify(body),
      };
    });
    const calls = planBatches(
      "NATSTER_EVENTS",
      events,
      events.length,
      PROJECTION_BATCH_EVENTS,
      TRIGGER_DEFAULTS.batch_max_bytes,
      "_INBOX.reads",
      PROJECTION_BATCH_PARTS,
    );
    expect(calls[0]?.events.length).toBe(PROJECTION_BATCH_EVENTS);
    // The payload and its parts: one part to spare, for rows larger than these.
    expect(1 + (calls[0]?.parts?.bodies.length ?? 0)).toBeLessThan(PROJECTION_BATCH_PARTS);
  });

  it("given parts allowed but no reads subject to fetch them from, then every call is one payload", () => {
    const calls = planBatches("S", twentyBigEvents(), 20, 100, 2000, undefined, 8);
    expect(calls.length).toBeGreaterThan(3);
    for (const call of calls) {
      expect(call.parts).toBeUndefined();
      expect("more" in parsed(call.body)).toBe(false);
    }
  });
});

describe("batch parts on the reads subject", () => {
  const call = (batch: string, bodies: string[]): PlannedCall => ({ body: "{}", events: [], parts: { batch, bodies } });

  it("given a held call, then each part is answered by number until the call is let go", () => {
    const parts = new BatchParts();
    const release = parts.hold([call("7", ['{"rows":[1]}', '{"rows":[2]}']), { body: "{}", events: [] }]);
    expect(parts.answer("7", 2)).toBe('{"rows":[2]}');
    expect(parts.answer("7", 1)).toBe('{"rows":[1]}');
    expect(JSON.parse(parts.answer("7", 3))).toEqual({ error: "part must be 1 to 2" });
    release();
    expect(JSON.parse(parts.answer("7", 1))).toEqual({ error: 'no call "7" is in flight' });
  });

  it("given a request that names no call, then a clear error", () => {
    expect(JSON.parse(new BatchParts().answer(undefined, 1))).toHaveProperty("error");
    expect(JSON.parse(new BatchParts().answer("x", "1"))).toHaveProperty("error");
  });
});

describe("message buffer", () => {
  it("given items pushed before and while waiting, then take returns what has arrived, in order, up to max", async () => {
    const buffer = new MessageBuffer<number>();
    const waiting = buffer.take(10);
    buffer.push(1);
    expect(await waiting).toEqual([1]);
    for (const n of [2, 3, 4]) buffer.push(n);
    expect(await buffer.take(2)).toEqual([2, 3]);
    buffer.end();
    expect(await buffer.take(2)).toEqual([4]);
    expect(await buffer.take(2)).toBeUndefined();
  });

  it("given fewer items than a whole batch, then takeFull takes none of them, and a whole batch once there", () => {
    const buffer = new MessageBuffer<number>();
    for (const n of [1, 2]) buffer.push(n);
    expect(buffer.takeFull(3)).toEqual([]);
    buffer.push(3);
    buffer.push(4);
    expect(buffer.takeFull(3)).toEqual([1, 2, 3]);
    expect(buffer.takeFull(3)).toEqual([]);
  });
});
