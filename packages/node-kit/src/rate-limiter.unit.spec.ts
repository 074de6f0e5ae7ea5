import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limiter.ts";

describe("RateLimiter", () => {
  it("given a key at its limit, then it is refused until its window ends, and other keys are not affected", () => {
    let now = 1_000;
    const limiter = new RateLimiter({ max: 2, windowMs: 100 }, () => now);
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([true, true, false]);
    expect(limiter.take("b")).toBe(true);
    expect(limiter.retryAfterMs("a")).toBe(100);
    now += 100;
    expect(limiter.take("a")).toBe(true);
    expect(limiter.retryAfterMs("a")).toBe(0);
  });

  it("given more keys than it may track, then it forgets ended windows first and stays bounded", () => {
    let now = 0;
    const limiter = new RateLimiter({ max: 1, windowMs: 10 }, () => now, 2);
    limiter.take("old");
    now = 20;
    limiter.take("a");
    limiter.take("b");
    expect(limiter.take("a")).toBe(false);
    expect(limiter.take("old")).toBe(true);
  });
});
