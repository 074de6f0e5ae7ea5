import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTransferKey, decryptChunk, encryptChunk } from "../crypto.ts";
import { nodeChunkCipher } from "./node-chunk-cipher.ts";

const transferId = "0123456789abcdef0123456789abcdef";
const rejected = expect.objectContaining({ code: "CHUNK_REJECTED" }) as Error;

describe("node:crypto chunk cipher (the same wire bytes as WebCrypto)", () => {
  it("given a chunk, then node:crypto and WebCrypto produce identical ciphertext and tag", async () => {
    const key = await createTransferKey();
    const plaintext = randomBytes(70_000);
    expect(await nodeChunkCipher.encrypt(key, transferId, 5, true, plaintext)).toEqual(
      await encryptChunk(key, transferId, 5, true, plaintext),
    );
  });

  it("given a chunk sealed by WebCrypto (a browser sender), then node:crypto opens it, and the other way round", async () => {
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

  it("given a flipped bit, another index, a flipped final flag or a truncated tag, then node:crypto rejects the chunk", async () => {
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
});
