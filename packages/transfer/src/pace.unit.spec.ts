import { describe, expect, it } from "vitest";
import { paceDelayMs, parseRate } from "./pace.ts";

describe("download rate limit", () => {
  it("given curl-style rates, then they read as bytes per second", () => {
    expect(parseRate("500")).toBe(500);
    expect(parseRate("500K")).toBe(512_000);
    expect(parseRate("2m")).toBe(2 * 1024 ** 2);
    expect(parseRate("1.5G")).toBe(1.5 * 1024 ** 3);
  });

  it("given something that is not a rate, then BAD_REQUEST", () => {
    for (const bad of ["", "fast", "-1", "0", "2MB", "1e6"]) {
      expect(() => parseRate(bad), bad).toThrow(expect.objectContaining({ code: "BAD_REQUEST" }) as Error);
    }
  });

  it("given bytes ahead of the rate, then the receiver waits until they are due", () => {
    expect(paceDelayMs(2048, 1024, 10_000, 10_500)).toBe(1500);
  });

  it("given bytes behind the rate, then no wait", () => {
    expect(paceDelayMs(1024, 1024, 10_000, 12_000)).toBe(0);
  });
});
