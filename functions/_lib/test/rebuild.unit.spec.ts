import type { AccountProjection } from "@natster/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { prng } from "@natster/test-kit";
import { generateLog, injectWriteFaults } from "./event-log.ts";
import { Stack, loadBundles, type FunctionName } from "./stack.ts";

const PROJECTIONS = ["project-account", "project-catalog"] as const;
const BUCKETS = ["PROJ_ACCOUNT", "PROJ_CATALOG", "PROJ_STATS"];
// Each delivery runs the bundle in a fresh vm context against the fake host: a rebuild takes seconds.
const SLOW = 60_000;
const log = generateLog(300, 2024);
let bundles: Map<FunctionName, string>;
let clean: ReturnType<typeof rebuild>;

beforeAll(async () => {
  bundles = await loadBundles(PROJECTIONS);
  clean = rebuild(log);
}, SLOW);

/** Feeds the log to both projections like the bridge: in order, redelivering until {ok:true}. */
function rebuild(log: ReturnType<typeof generateLog>, faults?: () => boolean) {
  const stack = new Stack(bundles);
  if (faults) injectWriteFaults(stack, BUCKETS, faults);
  const again = prng(7);
  for (const name of PROJECTIONS) {
    for (const message of log.messages) {
      let delivery = 1;
      while ((stack.deliver(name, message, delivery) as { ok: boolean }).ok !== true) {
        if (++delivery > 20) throw new Error(`${name}: seq ${message.seq} never applied`);
      }
      // A redelivery of an applied event (lost ack) must change nothing.
      if (faults && again() < 0.2) expect(stack.deliver(name, message, delivery + 1)).toEqual({ ok: true });
    }
  }
  return stack.snapshot(BUCKETS);
}

describe("projection rebuild", () => {
  it(
    "given a generated log of 300 events, when rebuilt again from empty state, then the KV contents are byte for byte identical",
    () => {
      expect(rebuild(log)).toEqual(clean);
    },
    SLOW,
  );

  it(
    "given random KV failures and redeliveries, when rebuilt, then the result equals a clean rebuild",
    () => {
      const fail = prng(99);
      let failures = 0;
      expect(rebuild(log, () => fail() < 0.15 && ++failures > 0)).toEqual(clean);
      expect(failures).toBeGreaterThan(50);
    },
    SLOW,
  );

  it("given the log, when rebuilt, then the out-shares match a plain model of share/unshare", () => {
    const model = new Set<string>();
    for (const m of log.messages) {
      const [, , from, to, catalog, type] = m.subject.split(".");
      if (type === "catalog_shared" && from !== to) model.add(`${from} ${to} ${catalog}`);
      if (type === "catalog_unshared") model.delete(`${from} ${to} ${catalog}`);
    }
    const accounts = clean.PROJ_ACCOUNT ?? {};
    const projected = Object.entries(accounts).flatMap(([key, json]) =>
      (JSON.parse(json) as AccountProjection).out_shares.map((s) => `${key} ${s.account} ${s.catalog}`),
    );
    expect(projected.sort()).toEqual([...model].sort());
    expect(model.size).toBeGreaterThan(5);
    expect(JSON.parse(clean.PROJ_STATS?.global ?? "{}")).toMatchObject({ share_count: model.size });
  });
});
