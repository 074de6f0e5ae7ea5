import type { EventRateLimit } from "@natster/protocol";
import { reject } from "../../_lib/src/rejection.ts";

/** One counter per account, limit window and window index: a fixed-window count of appended events. */
export type RateCounter = { key: string; limit: EventRateLimit; count: number; window_end_s: number };

export const rateKey = (account: string, limit: EventRateLimit, nowS: number): string =>
  `${account}.${limit.window_s}.${Math.floor(nowS / limit.window_s)}`;

/**
 * Refuses `adding` more events when any window would go past its limit (429 RATE_LIMITED, with
 * when to retry); otherwise returns the counters' new values, to store once the events are in.
 */
export function admitEvents(counters: readonly RateCounter[], adding: number, nowS: number): { key: string; count: number }[] {
  for (const c of counters) {
    if (c.count + adding > c.limit.max_events) {
      const wait = Math.max(1, c.window_end_s - nowS);
      const per = c.limit.window_s >= 86_400 ? "day" : c.limit.window_s >= 3600 ? "hour" : "minute";
      reject("RATE_LIMITED", `this account may append ${c.limit.max_events} events per ${per}; try again in ${wait} s`);
    }
  }
  return counters.map((c) => ({ key: c.key, count: c.count + adding }));
}
