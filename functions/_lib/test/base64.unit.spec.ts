import { describe, expect, it } from "vitest";
import { base64Bytes } from "../src/base64.ts";

const samples = [
  new Uint8Array(),
  Uint8Array.of(0),
  Uint8Array.of(255, 254),
  Uint8Array.of(1, 2, 3),
  Uint8Array.from({ length: 257 }, (_, i) => (i * 37) & 255),
];

describe("base64Bytes (no atob under Nex)", () => {
  it.each(samples.map((s) => [s.length, s] as const))(
    "given %i bytes encoded standard and url-safe, when decoded, then the bytes come back",
    (_n, sample) => {
      const buf = Buffer.from(sample);
      expect(base64Bytes(buf.toString("base64"))).toEqual([...sample]);
      expect(base64Bytes(buf.toString("base64url"))).toEqual([...sample]);
    },
  );

  it("given the JetStream API's padded base64 of JSON, when decoded, then it is the JSON text", () => {
    expect(Buffer.from(base64Bytes("eyJpZCI6InkifQ==") ?? []).toString()).toBe('{"id":"y"}');
  });

  it.each(["a b", "ab$c", "é"])("given %j, when decoded, then undefined", (s) => {
    expect(base64Bytes(s)).toBeUndefined();
  });
});
