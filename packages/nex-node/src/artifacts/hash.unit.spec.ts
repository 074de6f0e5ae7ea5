import { describe, expect, it } from "vitest";
import { hashMatches, sha256Hex } from "./hash.ts";

const bytes = new TextEncoder().encode("(subject, payload) => 1;");

describe("artifact hash check", () => {
  it("given the artifact's SHA-256 (hex or object-store digest), then it matches", () => {
    const hex = sha256Hex(bytes);
    expect(hashMatches(bytes, hex)).toBe(true);
    expect(hashMatches(bytes, `SHA-256=${Buffer.from(hex, "hex").toString("base64url")}`)).toBe(true);
  });

  it("given another SHA-256, then it does not match", () => {
    expect(hashMatches(bytes, "cd".repeat(32))).toBe(false);
  });

  it("given upstream devrun's constant, which names no hash, then it is accepted as real 0.x accepts it", () => {
    expect(hashMatches(bytes, "abc12345TODOmakethisreal")).toBe(true);
  });
});
