import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { toHex } from "./bytes.ts";
import { createSha256 } from "./sha256.ts";

const nodeHex = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");
const pureHex = (parts: Uint8Array[]) => {
  const hasher = createSha256();
  for (const part of parts) hasher.update(part);
  return toHex(hasher.digest());
};

/** Cuts `data` at random points (including empty parts) to exercise block-boundary buffering. */
function randomSplit(data: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let pos = 0; pos < data.length; ) {
    const size = Math.floor(Math.random() * Math.min(300, data.length - pos + 1));
    parts.push(data.subarray(pos, pos + size));
    pos += size;
  }
  return parts;
}

describe("pure-JS incremental SHA-256", () => {
  it("given the FIPS 180-2 vectors, then it produces the published digests", () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(pureHex([text("")])).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(pureHex([text("abc")])).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(pureHex([text("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")])).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  it.each([0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096, 65_537, 1024 * 1024])(
    "given %i random bytes in one update, then it equals node:crypto",
    (length) => {
      const data = randomBytes(length);
      expect(pureHex([data])).toBe(nodeHex(data));
    },
  );

  it("given many random lengths cut into random pieces, then it always equals node:crypto", () => {
    for (let round = 0; round < 200; round++) {
      const data = randomBytes(Math.floor(Math.random() * 2000));
      expect(pureHex(randomSplit(data)), `length ${data.length}`).toBe(nodeHex(data));
    }
  });

  it("given a view into a larger buffer, then only the viewed bytes are hashed", () => {
    const backing = randomBytes(1000);
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 3, 517);
    expect(pureHex([view])).toBe(nodeHex(view));
  });

  it("given digest() was called, then the hasher refuses more input", () => {
    const hasher = createSha256();
    hasher.digest();
    expect(() => hasher.update(new Uint8Array(1))).toThrow(/after digest/);
    expect(() => hasher.digest()).toThrow(/twice/);
  });
});
