import { createAccount, createCurve, createUser } from "@nats-io/nkeys";
import { describe, expect, it } from "vitest";
import { isAccountKey, isCurveKey, isPublicKey } from "./keys.ts";

describe("public key checks (no nkeys dependency)", () => {
  it("given real keys from nkeys, then each is recognised as its own kind only", () => {
    const account = createAccount().getPublicKey();
    const user = createUser().getPublicKey();
    const curve = createCurve().getPublicKey();
    expect(isAccountKey(account)).toBe(true);
    expect(isPublicKey(user, "user")).toBe(true);
    expect(isCurveKey(curve)).toBe(true);
    expect(isAccountKey(user)).toBe(false);
    expect(isAccountKey(curve)).toBe(false);
  });

  it("given one flipped character, then the checksum rejects it", () => {
    const key = createAccount().getPublicKey();
    const i = 20;
    const flipped = key.slice(0, i) + (key[i] === "A" ? "B" : "A") + key.slice(i + 1);
    expect(isAccountKey(flipped)).toBe(false);
  });

  it("given non-strings, wrong lengths and bad alphabets, then they are rejected", () => {
    for (const bad of [undefined, null, 42, "", "A".repeat(55), "A".repeat(57), "a".repeat(56), "A1".repeat(28)]) {
      expect(isAccountKey(bad)).toBe(false);
    }
  });
});
