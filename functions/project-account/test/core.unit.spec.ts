import type { AccountProjection, EventType, StatsProjection } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import type { ProjectedEvent } from "../../_lib/src/triggered-event.ts";
import { planAccountWrites, touchesTarget, type AccountKeys, type AccountWrite } from "../src/core.ts";

const T0 = 1_710_000_000;
const ev = (
  seq: number,
  type: EventType,
  from = "A",
  to = "none",
  catalog = "none",
  time = T0 + seq,
): ProjectedEvent => ({ seq, from, to, catalog, type, time });
const account = (over: Partial<AccountProjection> = {}): AccountProjection => ({
  out_shares: [],
  in_shares: [],
  initialized_at: 0,
  applied_seq: 0,
  ...over,
});
const stats = (total_initialized: number, share_count: number, applied_seq: number): StatsProjection => ({
  total_initialized,
  share_count,
  applied_seq,
});

/** Applies events to an in-memory projection through the core, as the adapter does through KV. */
function replay(
  events: ProjectedEvent[],
  start: { accounts?: Record<string, AccountProjection>; stats?: StatsProjection } = {},
) {
  const accounts: Record<string, AccountProjection> = { ...start.accounts };
  let current = start.stats;
  for (const e of events) {
    const keys: AccountKeys = {
      from: accounts[e.from],
      to: touchesTarget(e) ? accounts[e.to] : undefined,
      stats: current,
    };
    for (const w of planAccountWrites(e, keys)) {
      if (w.bucket === "PROJ_STATS") current = w.value;
      else accounts[w.key] = w.value;
    }
  }
  return { accounts, stats: current };
}

describe("account projection", () => {
  it("given nothing, when an account initializes, then initialized_at is the EVENT time (upstream bug 13) and stats count it", () => {
    expect(planAccountWrites(ev(1, "natster_initialized"), {})).toEqual<AccountWrite[]>([
      { bucket: "PROJ_STATS", key: "global", value: stats(1, 0, 1) },
      { bucket: "PROJ_ACCOUNT", key: "A", value: account({ initialized_at: T0 + 1, applied_seq: 1 }) },
    ]);
  });

  it("given an initialized account, when it initializes again, then nothing changes", () => {
    expect(
      planAccountWrites(ev(5, "natster_initialized"), { from: account({ initialized_at: T0, applied_seq: 1 }) }),
    ).toEqual([]);
  });

  it("given two never-initialized accounts, when one shares with the other, then both records exist and nothing waits (upstream bug 10)", () => {
    const { accounts, stats: s } = replay([ev(1, "catalog_shared", "A", "B", "movies")]);
    expect(accounts).toEqual({
      A: account({ out_shares: [{ catalog: "movies", account: "B" }], applied_seq: 1 }),
      B: account({ in_shares: [{ catalog: "movies", account: "A" }], applied_seq: 1 }),
    });
    expect(s).toEqual(stats(0, 1, 1));
  });

  it("given a share, when the same share is logged again, then no duplicate entry and no extra count (upstream bug 11)", () => {
    const { accounts, stats: s } = replay([
      ev(1, "catalog_shared", "A", "B", "movies"),
      ev(2, "catalog_shared", "A", "B", "movies"),
    ]);
    expect(accounts.A?.out_shares).toHaveLength(1);
    expect(accounts.A?.applied_seq).toBe(1);
    expect(s?.share_count).toBe(1);
  });

  it("given a share, when unshared, then both sides lose it and the active share count drops", () => {
    const { accounts, stats: s } = replay([
      ev(1, "catalog_shared", "A", "B", "movies"),
      ev(2, "catalog_shared", "A", "C", "movies"),
      ev(3, "catalog_unshared", "A", "B", "movies"),
    ]);
    expect(accounts.A?.out_shares).toEqual([{ catalog: "movies", account: "C" }]);
    expect(accounts.B?.in_shares).toEqual([]);
    expect(s).toEqual(stats(0, 1, 3));
  });

  it("given no share, when unshared, then nothing is written", () => {
    expect(planAccountWrites(ev(1, "catalog_unshared", "A", "B", "movies"), {})).toEqual([]);
  });

  it("given a self-share in the log, when projected, then it is skipped", () => {
    expect(planAccountWrites(ev(1, "catalog_shared", "A", "A", "movies"), {})).toEqual([]);
    expect(touchesTarget(ev(1, "catalog_shared", "A", "A", "movies"))).toBe(false);
  });

  it("given an account, when its context is bound, then bound_context holds the event time", () => {
    const { accounts } = replay([ev(1, "natster_initialized"), ev(2, "context_bound")]);
    expect(accounts.A).toEqual({
      out_shares: [],
      in_shares: [],
      initialized_at: T0 + 1,
      applied_seq: 2,
      bound_context: { bound_at: T0 + 2 },
    });
  });

  it("given an import, when projected, then nothing changes", () => {
    expect(planAccountWrites(ev(1, "catalog_imported", "A", "B", "movies"), {})).toEqual([]);
  });

  it("given keys already past the event, when it is redelivered, then nothing is written", () => {
    const after = replay([ev(1, "natster_initialized"), ev(2, "catalog_shared", "A", "B", "movies")]);
    const keys = { from: after.accounts.A, to: after.accounts.B, stats: after.stats };
    expect(planAccountWrites(ev(2, "catalog_shared", "A", "B", "movies"), keys)).toEqual([]);
    expect(planAccountWrites(ev(1, "natster_initialized"), keys)).toEqual([]);
  });

  it("given a crash after the stats write, when the event is redelivered, then only the missing keys are written, counted once", () => {
    const before = replay([ev(1, "natster_initialized")]);
    const share = ev(2, "catalog_shared", "A", "B", "movies");
    const [statsWrite, ...rest] = planAccountWrites(share, { from: before.accounts.A, stats: before.stats });
    const redelivered = planAccountWrites(share, {
      from: before.accounts.A,
      stats: statsWrite?.value as StatsProjection,
    });
    expect(redelivered).toEqual(rest);
    const [, fromWrite, toWrite] = planAccountWrites(share, { from: before.accounts.A, stats: before.stats });
    expect(
      planAccountWrites(share, {
        from: fromWrite?.value as AccountProjection,
        stats: statsWrite?.value as StatsProjection,
      }),
    ).toEqual([toWrite]);
  });
});
