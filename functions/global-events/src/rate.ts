import type { EventRateLimit } from "@natster/protocol";
import { reject } from "../../_lib/src/rejection.ts";

/** One account's counts, by window length (seconds): which window they count, and how many events. */
export type RateState = Record<string, { window: number; count: number }>;

/** A fixed-window count of one account's appended events for one limit. */
export type RateCounter = { limit: EventRateLimit; window: number; count: number; window_end_s: number };

/** The account's current counters: a count from an earlier window starts again at 0. */
export function rateCounters(
  limits: readonly EventRateLimit[],
  state: RateState | undefined,
  nowS: number,
): RateCounter[] {
  return limits.map((limit) => {
    const window = Math.floor(nowS / limit.window_s);
    const stored = state?.[String(limit.window_s)];
    return {
      limit,
      window,
      count: stored?.window === window ? stored.count : 0,
      window_end_s: (window + 1) * limit.window_s,
    };
  });
}

/**
 * Refuses `adding` more events when any window would go past its limit (429 RATE_LIMITED, with
 * when to retry); otherwise returns the account's new state, to store once the events are in.
 */
export function admitEvents(counters: readonly RateCounter[], adding: number, nowS: number): RateState {
  for (const c of counters) {
    if (c.count + adding > c.limit.max_events) {
      const wait = Math.max(1, c.window_end_s - nowS);
      const per = c.limit.window_s >= 86_400 ? "day" : c.limit.window_s >= 3600 ? "hour" : "minute";
      reject("RATE_LIMITED", `this account may append ${c.limit.max_events} events per ${per}; try again in ${wait} s`);
    }
  }
  return Object.fromEntries(
    counters.map((c) => [String(c.limit.window_s), { window: c.window, count: c.count + adding }]),
  );
}
