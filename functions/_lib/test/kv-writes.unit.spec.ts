import { asciiJsonBytes } from "nex-fn";
import { describe, expect, it } from "vitest";
import { encodeAll } from "../src/kv-writes.ts";

describe("encodeAll: the bytes of a projection's writes", () => {
  it.each([
    ["plain ASCII values", [{ a: 1, list: ["x", "y"] }, "text", 3, null, { out_shares: [] }]],
    ["a value with non-ASCII text and DEL", [{ name: "Zoë 日本" }, "a\u007fb", { k: "v" }]],
    ["one value", [{ applied_seq: 7 }]],
    ["none", []],
  ])("given %s, then each is exactly its asciiJsonBytes", (_what, values) => {
    const encoded = encodeAll(values);
    expect(encoded.map((b) => [...b])).toEqual(values.map((v) => [...asciiJsonBytes(v)]));
    // Copies, not views of one buffer: each travels to the host alone.
    for (const b of encoded) expect(b.byteLength).toBe(b.buffer.byteLength);
  });
});
