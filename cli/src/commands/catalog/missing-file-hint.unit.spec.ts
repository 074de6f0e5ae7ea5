import { NatsterError } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { withMissingFileHint } from "./missing-file-hint.ts";

const asked = { catalog: "movies", hash: "ab".repeat(32) };

describe("withMissingFileHint", () => {
  it("given the catalog server's NOT_FOUND, then the error keeps its code and names the catalog, the hash and where to look", () => {
    const error = withMissingFileHint(new NatsterError("NOT_FOUND", "Requested File Not Found"), asked);
    expect(error).toBeInstanceOf(NatsterError);
    expect((error as NatsterError).code).toBe("NOT_FOUND");
    expect((error as NatsterError).message).toBe(
      `catalog 'movies' serves no file with SHA-256 ${"ab".repeat(32)} (Requested File Not Found): ` +
        "see what it serves with: natster catalog contents movies",
    );
  });

  it.each(["FORBIDDEN", "CATALOG_OFFLINE", "TIMEOUT"] as const)("given %s, then the error is unchanged", (code) => {
    const original = new NatsterError(code, "it failed");
    expect(withMissingFileHint(original, asked)).toBe(original);
  });

  it("given something that is not a NatsterError, then it is unchanged", () => {
    const original = new Error("boom");
    expect(withMissingFileHint(original, asked)).toBe(original);
  });
});
