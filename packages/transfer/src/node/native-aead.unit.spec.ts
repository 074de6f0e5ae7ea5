import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fuzzSeed, prng } from "@natster/test-kit";
import { loadNativeAead, nativeAeadSources, nodeCryptoSealed, type NativeAead } from "./native-aead.ts";

const built = nativeAeadSources();
const temps: string[] = [];
const tempRoot = () => {
  const dir = mkdtempSync(join(tmpdir(), "natster-aead-spec-"));
  temps.push(dir);
  return dir;
};
afterEach(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function builtFile(): string {
  if (!built.file)
    throw new Error("scripts/setup.sh builds packages/transfer/native/dist/natster-aead.node; it is missing");
  return built.file;
}

function loaded(): NativeAead {
  const load = loadNativeAead({ switchedOff: false, file: builtFile(), tempRoot: tempRoot() });
  if (!load.aead) throw new Error(load.why);
  return load.aead;
}

describe("loading the native AES-256-GCM addon", () => {
  it("given the addon built in this tree, when it is loaded, then it comes from that file and passed its self-check", () => {
    const load = loadNativeAead({ switchedOff: false, file: builtFile(), tempRoot: tempRoot() });
    expect(load).toMatchObject({ from: builtFile() });
    const emptyChunk = new Uint8Array(16);
    expect(load.aead?.sealInPlace(new Uint8Array(32), new Uint8Array(12), new Uint8Array(0), emptyChunk)).toBe(true);
    expect(emptyChunk.some((b) => b !== 0)).toBe(true);
  });

  it("given the addon embedded in an artifact, when it is loaded, then it works and its temporary copy is gone", () => {
    const root = tempRoot();
    const embedded = readFileSync(builtFile()).toString("base64");
    const load = loadNativeAead({ switchedOff: false, embedded, tempRoot: root });
    expect(load).toMatchObject({ from: "embedded in this artifact" });
    expect(readdirSync(root)).toEqual([]);
  });

  it("given bytes that are no addon, when they are loaded, then node:crypto is left to do the work, with the reason", () => {
    const root = tempRoot();
    const load = loadNativeAead({ switchedOff: false, embedded: randomBytes(4096).toString("base64"), tempRoot: root });
    expect(load.aead).toBeUndefined();
    expect(load).toMatchObject({ why: expect.stringContaining("embedded in this artifact is not usable") as string });
    expect(readdirSync(root)).toEqual([]);
  });

  it("given NATSTER_NATIVE_AEAD=off, or no addon at all, then nothing is loaded and the reason says so", () => {
    expect(nativeAeadSources({ NATSTER_NATIVE_AEAD: "off" }).switchedOff).toBe(true);
    expect(loadNativeAead({ switchedOff: true, file: builtFile(), tempRoot: tempRoot() })).toEqual({
      why: "NATSTER_NATIVE_AEAD=off",
    });
    expect(loadNativeAead({ switchedOff: false, tempRoot: tempRoot() })).toEqual({
      why: "the native addon is not built (scripts/setup.sh builds it)",
    });
  });
});

describe("sealing and opening on each backend the addon offers this CPU", () => {
  /** A separate copy of the addon, loaded with NATSTER_NATIVE_AEAD set as given while it loads. */
  function loadedWith(choice: string | undefined): NativeAead {
    const before = process.env.NATSTER_NATIVE_AEAD;
    if (choice === undefined) delete process.env.NATSTER_NATIVE_AEAD;
    else process.env.NATSTER_NATIVE_AEAD = choice;
    try {
      const embedded = readFileSync(builtFile()).toString("base64");
      const load = loadNativeAead({ switchedOff: false, embedded, tempRoot: tempRoot() });
      if (!load.aead) throw new Error(load.why);
      return load.aead;
    } finally {
      if (before === undefined) delete process.env.NATSTER_NATIVE_AEAD;
      else process.env.NATSTER_NATIVE_AEAD = before;
    }
  }

  it("given NATSTER_NATIVE_AEAD=openssl, then the addon keeps OpenSSL; otherwise it takes VAES where the CPU has it", () => {
    expect(loadedWith("openssl").backend).toBe("openssl");
    expect(["vaes-avx512", "openssl"]).toContain(loadedWith(undefined).backend);
  });

  it("given every length to 1,100 bytes and random ones to 300 KiB, with random keys, nonces and AADs, then each backend seals node:crypto's exact bytes and opens what it sealed", () => {
    const seed = fuzzSeed();
    const random = prng(seed);
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
    const lengths = [
      ...Array.from({ length: 1101 }, (_, i) => i),
      ...Array.from({ length: 40 }, () => Math.floor(random() * 300 * 1024)),
    ];
    for (const aead of [loadedWith(undefined), loadedWith("openssl")])
      for (const length of lengths) {
        const [key, nonce, aad, plain] = [bytes(32), bytes(12), bytes(Math.floor(random() * 70)), bytes(length)];
        const chunk = new Uint8Array(length + 16);
        chunk.set(plain);
        const what = `${aead.backend}, ${length} bytes, NATSTER_FUZZ_SEED=${seed}`;
        expect(aead.sealInPlace(key, nonce, aad, chunk), what).toBe(true);
        expect(Buffer.from(chunk).equals(nodeCryptoSealed(key, nonce, aad, plain)), what).toBe(true);
        expect(aead.openInPlace(key, nonce, aad, chunk), what).toBe(true);
        expect(Buffer.from(chunk.subarray(0, length)).equals(plain), what).toBe(true);
      }
  });
});

describe("the native addon at its boundary (what a sender controls reaches openInPlace)", () => {
  const key = new Uint8Array(32).fill(7);
  const nonce = new Uint8Array(12).fill(9);
  const aad = new TextEncoder().encode("natster-v2|fuzz|0|0");

  it("given arguments of the wrong kind or size, then it throws BAD_ARGUMENTS and touches nothing", () => {
    const aead = loaded();
    const chunk = new Uint8Array(64).fill(1);
    const bad: [Uint8Array, Uint8Array, Uint8Array, Uint8Array][] = [
      [key.subarray(0, 16), nonce, aad, chunk],
      [key, nonce.subarray(0, 8), aad, chunk],
      [key, nonce, aad, chunk.subarray(0, 15)],
      [key, nonce, aad, new Uint16Array(40) as unknown as Uint8Array],
    ];
    for (const args of bad)
      expect(() => aead.openInPlace(...args)).toThrow(expect.objectContaining({ code: "BAD_ARGUMENTS" }) as Error);
    expect(() => aead.sealInPlace("key" as unknown as Uint8Array, nonce, aad, chunk)).toThrow(TypeError);
    expect(chunk.every((b) => b === 1)).toBe(true);
  });

  it("given 500 random chunks of random sizes, then none opens, and each body is zeroed rather than left as unauthenticated plaintext", () => {
    const aead = loaded();
    const seed = fuzzSeed();
    const random = prng(seed);
    for (let i = 0; i < 500; i++) {
      const chunk = new Uint8Array(16 + Math.floor(random() * 70_000));
      for (let j = 0; j < chunk.length; j++) chunk[j] = Math.floor(random() * 256);
      expect(aead.openInPlace(key, nonce, aad, chunk), `NATSTER_FUZZ_SEED=${seed}, case ${i}`).toBe(false);
      expect(chunk.subarray(0, chunk.length - 16).every((b) => b === 0)).toBe(true);
    }
  });

  it("given a sealed chunk with any one bit flipped, then it does not open", () => {
    const aead = loaded();
    const sealed = new Uint8Array(48 + 16);
    aead.sealInPlace(key, nonce, aad, sealed);
    for (let bit = 0; bit < sealed.length * 8; bit += 7) {
      const flipped = sealed.slice();
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      expect(aead.openInPlace(key, nonce, aad, flipped)).toBe(false);
    }
    expect(aead.openInPlace(key, nonce, aad, sealed.slice())).toBe(true);
  });
});
