import { describe, expect, it } from "vitest";
import { prng } from "./prng.ts";

describe("prng", () => {
  it("given the same seed, when drawn twice, then both sequences are equal and within [0, 1)", () => {
    const a = prng(42);
    const b = prng(42);
    const first = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("given two seeds, when drawn, then the sequences differ", () => {
    const a = prng(1);
    const b = prng(2);
    expect(Array.from({ length: 5 }, () => a())).not.toEqual(Array.from({ length: 5 }, () => b()));
  });
});
