import { describe, expect, it } from "vitest";
import { backoffDelay, decide, type RetryPolicy } from "./policy.ts";

const policy: RetryPolicy = { maxDeliver: 4, backoffMs: [100, 200, 400], ackWaitMs: 30_000 };
const failed = (retry = true) => ({ kind: "failed", error: "boom", retry }) as const;

describe("backoff by delivery count", () => {
  it("given the first delivery failed, when asked for a delay, then it is the first step", () => {
    expect(backoffDelay(1, [100, 200, 400])).toBe(100);
  });

  it("given later deliveries failed, when asked for delays, then they walk the list and the last step repeats", () => {
    expect([2, 3, 4, 50].map((d) => backoffDelay(d, [100, 200, 400]))).toEqual([200, 400, 400, 400]);
  });

  it("given an empty backoff list or a nonsense count, when asked for a delay, then it is 0 or the first step", () => {
    expect(backoffDelay(3, [])).toBe(0);
    expect(backoffDelay(0, [100, 200])).toBe(100);
  });
});

describe("what to do after an attempt", () => {
  it("given the function applied the event, then the message is acked", () => {
    expect(decide({ kind: "applied" }, { delivery: 4, waits: 0 }, policy)).toEqual({ action: "ack" });
  });

  it("given a retryable failure below max_deliver, then it is naked with the backoff of its delivery", () => {
    expect(decide(failed(), { delivery: 2, waits: 0 }, policy)).toEqual({
      action: "retry",
      delayMs: 200,
      error: "boom",
    });
  });

  it("given a failure on delivery max_deliver, then the event is parked", () => {
    expect(decide(failed(), { delivery: 4, waits: 0 }, policy)).toEqual({ action: "park", error: "boom" });
    expect(decide(failed(), { delivery: 9, waits: 0 }, policy)).toEqual({ action: "park", error: "boom" });
  });

  it("given the function says retry:false, then the event is parked on the first delivery", () => {
    expect(decide(failed(false), { delivery: 1, waits: 0 }, policy)).toEqual({ action: "park", error: "boom" });
  });

  it("given no responders, then the bridge waits without parking, however many deliveries there were", () => {
    const absent = { kind: "absent", error: "no responders" } as const;
    expect(decide(absent, { delivery: 99, waits: 0 }, policy)).toEqual({
      action: "wait",
      delayMs: 100,
      error: "no responders",
    });
    expect(decide(absent, { delivery: 1, waits: 7 }, policy)).toMatchObject({ action: "wait", delayMs: 400 });
  });

  it("given a short ack_wait, when waiting for an absent function, then the wait stays within a third of it", () => {
    const absent = { kind: "absent", error: "no responders" } as const;
    expect(decide(absent, { delivery: 1, waits: 5 }, { ...policy, ackWaitMs: 600 })).toMatchObject({ delayMs: 200 });
  });
});
