import { describe, expect, it } from "vitest";
import { chunkCount, chunkSpan, creditInterval, CreditWindow } from "./window.ts";

describe("chunk arithmetic", () => {
  it.each([
    [0, 16, 1],
    [1, 16, 1],
    [16, 16, 1],
    [17, 16, 2],
    [5 * 2 ** 30, 512 * 1024, 10_240],
  ])("given %i bytes in chunks of %i, then %i chunks", (length, chunkSize, count) => {
    expect(chunkCount(length, chunkSize)).toBe(count);
  });

  it("given a range, then each chunk covers its slice and the last one is short", () => {
    const range = { offset: 100, length: 40, chunkSize: 16 };
    expect([0, 1, 2].map((i) => chunkSpan(range, i))).toEqual([
      { offset: 100, length: 16 },
      { offset: 116, length: 16 },
      { offset: 132, length: 8 },
    ]);
  });

  it("given a 5 GiB file, then offsets past 4 GiB do not wrap", () => {
    const fiveGiB = 5 * 2 ** 30;
    const range = { offset: 0, length: fiveGiB, chunkSize: 128 * 1024 };
    const last = chunkCount(fiveGiB, range.chunkSize) - 1;
    expect(chunkSpan(range, last)).toEqual({ offset: fiveGiB - 128 * 1024, length: 128 * 1024 });
    expect(chunkSpan({ offset: 2 ** 32 + 1, length: 10, chunkSize: 4 }, 2)).toEqual({ offset: 2 ** 32 + 9, length: 2 });
  });
});

describe("credit window", () => {
  it("given an initial credit, then only that many chunks may go before more credit", () => {
    const window = new CreditWindow(4, 64);
    expect([0, 1, 2, 3, 4].map((i) => window.allows(i))).toEqual([true, true, true, true, false]);
  });

  it("given credit from the receiver, then the window slides to received + credit", () => {
    const window = new CreditWindow(4, 64);
    window.grant(2, 4, 4);
    expect(window.limit).toBe(6);
  });

  it("given a late or duplicated credit message, then the window never shrinks", () => {
    const window = new CreditWindow(4, 64);
    window.grant(4, 4, 4);
    window.grant(2, 4, 8);
    expect(window.limit).toBe(8);
  });

  it("given a receiver claiming chunks it was never sent or a huge credit, then both are capped", () => {
    const window = new CreditWindow(4, 8);
    window.grant(1_000, 1_000, 4);
    expect(window.limit).toBe(12);
    expect(new CreditWindow(100, 8).limit).toBe(8);
  });

  it("given negative numbers, then they grant nothing", () => {
    const window = new CreditWindow(4, 8);
    window.grant(-5, -5, 4);
    expect(window.limit).toBe(4);
  });

  it.each([
    [1, 1],
    [2, 1],
    [16, 8],
    [17, 8],
  ])("given a window of %i, then credit is granted every %i chunks", (window, every) => {
    expect(creditInterval(window)).toBe(every);
  });
});
