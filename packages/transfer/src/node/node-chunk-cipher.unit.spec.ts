import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CHUNK_TAG_BYTES, createTransferKey, decryptChunk, encryptChunk } from "../crypto.ts";
import { loadNativeAead } from "./native-aead.ts";
import { nativeChunkCipher } from "./native-chunk-cipher.ts";
import { nodeCryptoChunkCipher } from "./node-chunk-cipher.ts";

const transferId = "0123456789abcdef0123456789abcdef";
const rejected = expect.objectContaining({ code: "CHUNK_REJECTED" }) as Error;

function builtNativeAead() {
  const load = loadNativeAead();
  if (!load.aead) throw new Error(`scripts/setup.sh builds the native addon, and it did not load: ${load.why}`);
  return load.aead;
}

describe.each([
  { engine: "node:crypto", nodeChunkCipher: nodeCryptoChunkCipher },
  { engine: "the native addon", nodeChunkCipher: nativeChunkCipher(builtNativeAead()) },
])("$engine chunk cipher (the same wire bytes as WebCrypto)", ({ nodeChunkCipher }) => {
  it("given a chunk, then it and WebCrypto produce identical ciphertext and tag", async () => {
    const key = await createTransferKey();
    const plaintext = randomBytes(70_000);
    expect(await nodeChunkCipher.encrypt(key, transferId, 5, true, plaintext)).toEqual(
      await encryptChunk(key, transferId, 5, true, plaintext),
    );
  });

  it("given a chunk sealed by WebCrypto (a browser sender), then it opens it, and the other way round", async () => {
    const key = await createTransferKey();
    const plaintext = new Uint8Array(randomBytes(4096));
    expect(
      await nodeChunkCipher.decrypt(
        key,
        transferId,
        2,
        false,
        await encryptChunk(key, transferId, 2, false, plaintext),
      ),
    ).toEqual(plaintext);
    expect(
      await decryptChunk(
        key,
        transferId,
        2,
        false,
        await nodeChunkCipher.encrypt(key, transferId, 2, false, plaintext),
      ),
    ).toEqual(plaintext);
  });

  it("given a flipped bit, another index, a flipped final flag or a truncated tag, then it rejects the chunk", async () => {
    const key = await createTransferKey();
    const sealed = await nodeChunkCipher.encrypt(key, transferId, 3, false, randomBytes(256));
    const flipped = sealed.slice();
    flipped[7] = (flipped[7] ?? 0) ^ 1;
    await expect(nodeChunkCipher.decrypt(key, transferId, 3, false, flipped)).rejects.toThrow(rejected);
    await expect(nodeChunkCipher.decrypt(key, transferId, 4, false, sealed)).rejects.toThrow(rejected);
    await expect(nodeChunkCipher.decrypt(key, transferId, 3, true, sealed)).rejects.toThrow(rejected);
    await expect(nodeChunkCipher.decrypt(key, transferId, 3, false, sealed.subarray(0, 10))).rejects.toThrow(rejected);
  });

  it("given an empty final chunk, then it round-trips as 16 bytes of tag", async () => {
    const key = await createTransferKey();
    const sealed = await nodeChunkCipher.encrypt(key, transferId, 0, true, new Uint8Array());
    expect(sealed.length).toBe(16);
    expect(await nodeChunkCipher.decrypt(key, transferId, 0, true, sealed)).toEqual(new Uint8Array());
  });

  it("given a buffer holding a multi-slice plaintext and room for the tag, then sealInPlace turns it into WebCrypto's exact ciphertext and tag", async () => {
    const key = await createTransferKey();
    const plaintext = new Uint8Array(randomBytes(200_003));
    const buffer = new Uint8Array(plaintext.length + CHUNK_TAG_BYTES);
    buffer.set(plaintext);
    nodeChunkCipher.sealInPlace(key, transferId, 9, false, buffer);
    expect(buffer).toEqual(await encryptChunk(key, transferId, 9, false, plaintext));
  });

  it("given a received chunk, then openInPlace decrypts it within that buffer and returns a view of its start", async () => {
    const key = await createTransferKey();
    const plaintext = new Uint8Array(randomBytes(150_000));
    const received = await encryptChunk(key, transferId, 4, true, plaintext);
    const opened = nodeChunkCipher.openInPlace(key, transferId, 4, true, received);
    expect(opened).toEqual(plaintext);
    expect(opened.buffer).toBe(received.buffer);
    expect(opened.byteOffset).toBe(received.byteOffset);
  });

  it("given a tampered chunk, a flipped final flag or a buffer shorter than a tag, then openInPlace throws CHUNK_REJECTED", async () => {
    const key = await createTransferKey();
    const sealed = await encryptChunk(key, transferId, 1, false, randomBytes(70_000));
    const flipped = sealed.slice();
    flipped[68_000] = (flipped[68_000] ?? 0) ^ 1;
    expect(() => nodeChunkCipher.openInPlace(key, transferId, 1, false, flipped)).toThrow(rejected);
    expect(() => nodeChunkCipher.openInPlace(key, transferId, 1, true, sealed.slice())).toThrow(rejected);
    expect(() => nodeChunkCipher.openInPlace(key, transferId, 1, false, sealed.subarray(0, 15))).toThrow(rejected);
  });

  it("given a sealed chunk, then decrypt (not in place) leaves the caller's buffer untouched", async () => {
    const key = await createTransferKey();
    const sealed = await encryptChunk(key, transferId, 0, false, randomBytes(1000));
    const before = sealed.slice();
    await nodeChunkCipher.decrypt(key, transferId, 0, false, sealed);
    expect(sealed).toEqual(before);
  });
});
