import { describe, expect, it } from "vitest";
import { rejectionOf } from "../../_lib/test/given.ts";
import { newAccount } from "../../_lib/test/keys.ts";
import { admitEvents, rateCounters } from "../src/rate.ts";
import { eventData } from "../src/validate.ts";

const me = newAccount();
const other = newAccount();
const minute = { window_s: 60, max_events: 3 };
const day = { window_s: 86_400, max_events: 10 };

describe("event data per type", () => {
  it("given shares, unshares and imports, then only null (or nothing) is accepted", () => {
    for (const type of ["catalog_shared", "catalog_unshared", "catalog_imported"] as const) {
      expect(eventData(type, me, undefined)).toBeNull();
      expect(eventData(type, me, null)).toBeNull();
      for (const data of [{}, "x", 0, [], { a: 1 }])
        expect(rejectionOf(() => eventData(type, me, data))).toMatchObject({ code: "BAD_EVENT_DATA" });
    }
  });

  it("given an init, then only the caller's own key and a short printable name are kept", () => {
    expect(eventData("natster_initialized", me, { account_key: me, account_name: "Émile" })).toEqual({
      account_key: me,
      account_name: "Émile",
    });
    expect(eventData("natster_initialized", me, { account_name: "me" })).toEqual({ account_name: "me" });
    for (const data of [
      { account_key: other },
      { account_name: "" },
      { account_name: "n".repeat(65) },
      { account_name: "a\u0000b" },
      { account_name: 7 },
      { extra: 1 },
      ["x"],
      "me",
    ]) {
      expect(
        rejectionOf(() => eventData("natster_initialized", me, data)),
        JSON.stringify(data),
      ).toMatchObject({ code: "BAD_EVENT_DATA" });
    }
  });
});

describe("per-account rate limits", () => {
  const limits = [minute, day];

  it("given room in every window, when events are admitted, then each count grows by them", () => {
    const counters = rateCounters(limits, { "60": { window: 1, count: 1 }, "86400": { window: 0, count: 5 } }, 100);
    expect(admitEvents(counters, 2, 100)).toEqual({ "60": { window: 1, count: 3 }, "86400": { window: 0, count: 7 } });
  });

  it("given one window that would overflow, then 429 RATE_LIMITED says the limit and when to retry", () => {
    const counters = rateCounters(limits, { "60": { window: 1, count: 2 } }, 100);
    expect(rejectionOf(() => admitEvents(counters, 2, 100))).toMatchObject({
      code: "RATE_LIMITED",
      message: "this account may append 3 events per minute; try again in 20 s",
    });
  });

  it("given counts from an earlier window, then counting starts again", () => {
    const counters = rateCounters(limits, { "60": { window: 0, count: 3 }, "86400": { window: 0, count: 9 } }, 61);
    expect(counters.map((c) => c.count)).toEqual([0, 9]);
    expect(admitEvents(counters, 1, 61)).toEqual({ "60": { window: 1, count: 1 }, "86400": { window: 0, count: 10 } });
  });

  it("given an account never seen, then every count is 0", () => {
    expect(rateCounters(limits, undefined, 5).map((c) => c.count)).toEqual([0, 0]);
  });
});
