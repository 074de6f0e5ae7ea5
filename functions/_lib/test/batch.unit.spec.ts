import { beforeAll, describe, expect, it } from "vitest";
import { prng } from "@natster/test-kit";
import { generateLog, injectWriteFaults, logMessage } from "./event-log.ts";
import type { JetStreamTriggerEvent } from "@natster/protocol";
import { compactBatch } from "./compact-batch.ts";
import { newAccount } from "./keys.ts";
import { Stack, loadBundles, type FunctionName } from "./stack.ts";

const PROJECTIONS = ["project-account", "project-catalog"] as const;
const BUCKETS = ["PROJ_ACCOUNT", "PROJ_CATALOG", "PROJ_STATS"];
const SLOW = 60_000;
const log = generateLog(300, 2025);
let bundles: Map<FunctionName, string>;
let oneByOne: Record<string, Record<string, string>>;

beforeAll(async () => {
  bundles = await loadBundles(PROJECTIONS);
  const stack = new Stack(bundles);
  for (const name of PROJECTIONS) for (const m of log.messages) expect(stack.deliver(name, m)).toEqual({ ok: true });
  oneByOne = stack.snapshot(BUCKETS);
}, SLOW);

/** The log cut into batches of random sizes (1 to `max`), each delivered until {ok:true}. */
function inBatches(
  max: number,
  seed: number,
  faults?: () => boolean,
  setup?: (stack: Stack) => void,
  form: Stack["batchForm"] = "compact",
): Stack {
  const stack = new Stack(bundles);
  stack.batchForm = form;
  if (faults) injectWriteFaults(stack, BUCKETS, faults);
  const reads = setup !== undefined;
  setup?.(stack);
  const random = prng(seed);
  for (const name of PROJECTIONS) {
    for (let i = 0; i < log.messages.length; ) {
      const batch = log.messages.slice(i, i + 1 + Math.floor(random() * max));
      let tries = 0;
      const through = batch[batch.length - 1]?.seq ?? 0;
      while ((stack.deliverBatch(name, batch, through, 1, reads) as { ok: boolean }).ok !== true)
        if (++tries > 30) throw new Error(`${name}: batch at ${i} never applied`);
      i += batch.length;
    }
  }
  return stack;
}

describe("batched projection", () => {
  it(
    "given the log in batches of random sizes, when applied, then the KV bytes equal applying it event by event",
    () => {
      expect(inBatches(60, 1).snapshot(BUCKETS)).toEqual(oneByOne);
      expect(inBatches(300, 2).snapshot(BUCKETS)).toEqual(oneByOne);
      expect(inBatches(100, 6, undefined, undefined, "plain").snapshot(BUCKETS)).toEqual(oneByOne);
    },
    SLOW,
  );

  it(
    "given calls whose events continue in parts fetched from the bridge, when applied, then the KV bytes equal applying the log event by event",
    () => {
      expect(inBatches(80, 3, undefined, () => undefined, "parts").snapshot(BUCKETS)).toEqual(oneByOne);
    },
    SLOW,
  );

  it("given a call whose part the bridge no longer has, then it fails for a retry; a malformed part is refused outright", () => {
    const A = newAccount();
    const stack = new Stack(bundles);
    stack.batchForm = "parts";
    const batch = Array.from({ length: 10 }, (_, i) => logMessage(i + 1, A, "none", "none", "context_bound"));
    stack.js.reads.parts = new (class extends Map<string, readonly unknown[]> {
      override set = () => this; // the fake bridge has let every part go
    })();
    expect(stack.deliverBatch("project-account", batch, 10, 1, true)).toMatchObject({ ok: false, retry: true });
    expect(stack.kvGet("PROJ_CURSOR", "account")).toBeUndefined();
    const outOfOrder = { tokens: ["x"], time_base: 0, rows: [[1, [0], 1, 0, "{}"]] };
    stack.js.reads.parts = new (class extends Map<string, readonly unknown[]> {
      override get = () => [outOfOrder];
    })();
    expect(stack.deliverBatch("project-account", batch, 10, 1, true)).toMatchObject({ ok: false, retry: false });
    expect(stack.kvGet("PROJ_CURSOR", "account")).toBeUndefined();
  });

  it(
    "given the bridge's batch reads, when the log is applied in batches, then the bytes equal event by event with few host reads",
    () => {
      const stack = inBatches(80, 4, undefined, (s) => void (s.js.reads.perReply = 7));
      expect(stack.snapshot(BUCKETS)).toEqual(oneByOne);
      const older = (s: Stack) => Object.assign(s.js.reads, { perReply: 7, stringsOnly: true });
      expect(inBatches(80, 5, undefined, older).snapshot(BUCKETS)).toEqual(oneByOne);
      // Only batches touching at most 4 keys of a bucket read them with host calls; event by event is 2-3 reads per event.
      expect((stack.kvGets.get("PROJ_ACCOUNT") ?? 0) + (stack.kvGets.get("PROJ_CATALOG") ?? 0)).toBeLessThan(
        log.messages.length / 4,
      );
      expect(stack.js.reads.requests).toBeGreaterThan(log.messages.length / 40);
    },
    SLOW,
  );

  it.each([
    ["the bridge's reads (5 keys)", 5],
    ["host reads (1 key)", 1],
  ])(
    "given a write behind the projection's back between its read and its writes through %s, then the batch fails for a retry that applies it right",
    (_how, catalogs) => {
      const [A, B] = [newAccount(), newAccount()];
      const stack = new Stack(bundles);
      const names = ["m0", "m1", "m2", "m3", "m4"].slice(0, catalogs);
      const batch = names.map((name, i) => logMessage(i + 1, A, B, name, "catalog_shared"));
      const writeBehind = () =>
        stack.js.writeBehind("PROJ_CATALOG", "other", {
          catalog_name: "other",
          owner: B,
          shared_with: [],
          applied_seq: 0,
        });
      let infos = 0;
      // Bridge reads: right after the answer. Host reads: at the writer's own revision check (the second STREAM.INFO).
      stack.js.reads.afterAnswer = () => void ((stack.js.reads.afterAnswer = undefined), writeBehind());
      stack.js.beforeApi = (subject) =>
        void (
          subject.startsWith("$JS.API.STREAM.INFO.KV_PROJ_CATALOG") &&
          ++infos === 2 &&
          catalogs === 1 &&
          writeBehind()
        );
      expect(stack.deliverBatch("project-catalog", batch, catalogs, 1, true)).toMatchObject({
        ok: false,
        retry: true,
        error: expect.stringMatching(/changed since its keys were read/) as unknown,
      });
      expect(names.map((n) => stack.kvGet("PROJ_CATALOG", n))).toEqual(names.map(() => undefined));
      expect(stack.deliverBatch("project-catalog", batch, catalogs, 2, true)).toEqual({ ok: true });
      expect(stack.kvGet("PROJ_CATALOG", names[names.length - 1] ?? "")).toEqual({
        catalog_name: names[names.length - 1],
        owner: A,
        shared_with: [B],
        applied_seq: catalogs,
      });
    },
  );

  it(
    "given random KV failures mid-batch, when each batch is redelivered until applied, then the result equals a clean run",
    () => {
      const fail = prng(5);
      let failures = 0;
      expect(inBatches(40, 3, () => fail() < 0.1 && ++failures > 0).snapshot(BUCKETS)).toEqual(oneByOne);
      expect(failures).toBeGreaterThan(10);
    },
    SLOW,
  );

  it("given a batch, when applied, then each touched key is written once and the cursor moves to through", () => {
    const [A, B] = [newAccount(), newAccount()];
    const stack = new Stack(bundles);
    const writes: string[] = [];
    injectWriteFaults(stack, [...BUCKETS, "PROJ_CURSOR"], (bucket?: string, key?: string) => {
      writes.push(`${bucket}/${key}`);
      return false;
    });
    const batch = [
      logMessage(1, A, "none", "none", "natster_initialized"),
      logMessage(2, B, "none", "none", "natster_initialized"),
      logMessage(3, A, B, "movies", "catalog_shared"),
      logMessage(4, A, B, "movies", "catalog_unshared"),
      logMessage(5, A, B, "movies", "catalog_shared"),
    ];
    expect(stack.deliverBatch("project-account", batch, 9)).toEqual({ ok: true });
    expect(writes.sort()).toEqual(
      [`PROJ_ACCOUNT/${A}`, `PROJ_ACCOUNT/${B}`, "PROJ_CURSOR/account", "PROJ_STATS/global"].sort(),
    );
    expect(stack.kvGet("PROJ_CURSOR", "account")).toEqual({ through: 9 });
    expect(stack.kvGet("PROJ_ACCOUNT", B)).toMatchObject({
      in_shares: [{ catalog: "movies", account: A }],
      applied_seq: 5,
    });
  });

  it("given an older batch redelivered, when applied, then nothing changes and the cursor never moves back", () => {
    const A = newAccount();
    const stack = new Stack(bundles);
    const first = [logMessage(1, A, "none", "none", "natster_initialized")];
    stack.deliverBatch("project-account", first, 1);
    stack.deliverBatch("project-account", [logMessage(2, A, "none", "none", "context_bound")], 2);
    const before = stack.snapshot([...BUCKETS, "PROJ_CURSOR"]);
    expect(stack.deliverBatch("project-account", first, 1, 2)).toEqual({ ok: true });
    expect(stack.snapshot([...BUCKETS, "PROJ_CURSOR"])).toEqual(before);
  });

  it.each([
    [
      "events out of order",
      (m: ReturnType<typeof logMessage>[]) => ({ stream: "S", through: 9, events: [m[1], m[0]] }),
    ],
    ["through below the last event", (m: ReturnType<typeof logMessage>[]) => ({ stream: "S", through: 1, events: m })],
    ["an empty batch", () => ({ stream: "S", through: 1, events: [] })],
    [
      "compact rows naming a token that is not there",
      (m: JetStreamTriggerEvent[]) => ({ ...compactBatch("S", 2, m), tokens: ["natster", "events"] }),
    ],
    [
      "compact rows out of order",
      (m: JetStreamTriggerEvent[]) =>
        compactBatch("S", 9, [m[1] as JetStreamTriggerEvent, m[0] as JetStreamTriggerEvent]),
    ],
    [
      "compact rows that are not rows",
      (m: JetStreamTriggerEvent[]) => ({ ...compactBatch("S", 2, m), rows: [[1, "x"]] }),
    ],
    [
      "compact tokens that are not strings",
      (m: JetStreamTriggerEvent[]) => ({ ...compactBatch("S", 2, m), tokens: [1] }),
    ],
  ])("given %s, when delivered, then {ok:false, retry:false}", (_why, shape) => {
    const A = newAccount();
    const stack = new Stack(bundles);
    const messages = [
      logMessage(1, A, "none", "none", "natster_initialized"),
      logMessage(2, A, "none", "none", "context_bound"),
    ];
    const events = messages.map((m) => ({
      stream: "S",
      seq: m.seq,
      subject: m.subject,
      time: m.time,
      delivery: 1,
      data: new TextDecoder().decode(m.data),
    }));
    const payload = new TextEncoder().encode(JSON.stringify(shape(events as never)));
    expect(stack.invoke("project-account", "natster.internal.projections.account", payload)).toMatchObject({
      ok: false,
      retry: false,
    });
  });
});
