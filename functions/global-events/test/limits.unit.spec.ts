import { describe, expect, it } from "vitest";
import { rejectionOf } from "../../_lib/test/given.ts";
import { newAccount } from "../../_lib/test/keys.ts";
import { admitEvents, rateKey, type RateCounter } from "../src/rate.ts";
import { eventData } from "../src/validate.ts";

const me = newAccount();
const other = newAccount();
const minute = { window_s: 60, max_events: 3 };
const day = { window_s: 86_400, max_events: 10 };
const counter = (limit: typeof minute, count: number, window_end_s = 120): RateCounter => ({ key: rateKey(me, limit, 100), limit, count, window_end_s });

describe("event data per type", () => {
  it("given shares, unshares and imports, then only null (or nothing) is accepted", () => {
    for (const type of ["catalog_shared", "catalog_unshared", "catalog_imported"] as const) {
      expect(eventData(type, me, undefined)).toBeNull();
      expect(eventData(type, me, null)).toBeNull();
      for (const data of [{}, "x", 0, [], { a: 1 }]) expect(rejectionOf(() => eventData(type, me, data))).toMatchObject({ code: "BAD_EVENT_DATA" });
    }
  });

  it("given an init, then only the caller's own key and a short printable name are kept", () => {
    expect(eventData("natster_initialized", me, { account_key: me, account_name: "Émile" })).toEqual({ account_key: me, account_name: "Émile" });
    expect(eventData("natster_initialized", me, { account_name: "me" })).toEqual({ account_name: "me" });
    for (const data of [{ account_key: other }, { account_name: "" }, { account_name: "n".repeat(65) }, { account_name: "a\u0000b" }, { account_name: 7 }, { extra: 1 }, ["x"], "me"]) {
      expect(rejectionOf(() => eventData("natster_initialized", me, data)), JSON.stringify(data)).toMatchObject({ code: "BAD_EVENT_DATA" });
    }
  });
});

describe("per-account rate limits", () => {
  it("given room in every window, when events are admitted, then each counter grows by them", () => {
    expect(admitEvents([counter(minute, 1), counter(day, 5)], 2, 100)).toEqual([
      { key: `${me}.60.1`, count: 3 },
      { key: `${me}.86400.0`, count: 7 },
    ]);
  });

  it("given one window that would overflow, then 429 RATE_LIMITED says the limit and when to retry", () => {
    const refused = rejectionOf(() => admitEvents([counter(minute, 2, 130), counter(day, 0)], 2, 100));
    expect(refused).toMatchObject({ code: "RATE_LIMITED", message: "this account may append 3 events per minute; try again in 30 s" });
  });

  it("given a new window, then the key changes and counting starts again", () => {
    expect(rateKey(me, minute, 119)).not.toBe(rateKey(me, minute, 120));
    expect(rateKey(me, minute, 120)).toBe(rateKey(me, minute, 179));
  });
});
