import { describe, expect, it } from "vitest";
import { count } from "./plural.ts";

describe("count", () => {
  it("given one, then the noun is singular", () => {
    expect(count(1, "file")).toBe("1 file");
  });

  it.each([
    [0, "0 files"],
    [3, "3 files"],
    [100000, "100000 files"],
  ])("given %i, then the noun is plural: %s", (n, text) => {
    expect(count(n, "file")).toBe(text);
  });
});
