import { createAccount, createCurve, createUser } from "@nats-io/nkeys";
import { describe, expect, it } from "vitest";
import { prng } from "@natster/test-kit";
import { crc16, isAccountKey, isCurveKey, isPublicKey } from "./keys.ts";

/** CRC16-XMODEM a bit at a time, as its definition reads. */
function bitwiseCrc16(bytes: number[]): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

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

  it("given the standard check input, then the nibble-at-a-time CRC16 is XMODEM's check value", () => {
    expect(crc16([..."123456789"].map((c) => c.charCodeAt(0)))).toBe(0x31c3);
  });

  it("given random byte strings, then the nibble-at-a-time CRC16 equals the bit-at-a-time one", () => {
    const random = prng(1613);
    for (let n = 0; n < 200; n++) {
      const bytes = Array.from({ length: n % 40 }, () => Math.floor(random() * 256));
      expect(crc16(bytes)).toBe(bitwiseCrc16(bytes));
    }
  });

  it("given every character outside base32's alphabet in a real key, then it is rejected", () => {
    const key = createAccount().getPublicKey();
    for (let code = 0; code < 128; code++) {
      const c = String.fromCharCode(code);
      if (/[A-Z2-7]/.test(c)) continue;
      expect(isAccountKey(key.slice(0, 30) + c + key.slice(31))).toBe(false);
    }
  });

  it("given non-strings, wrong lengths and bad alphabets, then they are rejected", () => {
    for (const bad of [undefined, null, 42, "", "A".repeat(55), "A".repeat(57), "a".repeat(56), "A1".repeat(28)]) {
      expect(isAccountKey(bad)).toBe(false);
    }
  });
});
