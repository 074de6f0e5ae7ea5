import { createCurve } from "@nats-io/nkeys";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  chunkNonce,
  createTransferKey,
  decryptChunk,
  encryptChunk,
  importTransferKey,
  openTransferKey,
  sealTransferKey,
} from "./crypto.ts";

const transferId = "0123456789abcdef0123456789abcdef";
const rejected = expect.objectContaining({ code: "CHUNK_REJECTED" }) as Error;

describe("chunk crypto (AES-256-GCM, counter nonce, AAD = transfer|index|final)", () => {
  it("given a chunk encrypted at an index, then it decrypts back at that index with 16 bytes of tag overhead", async () => {
    const key = await createTransferKey();
    const plaintext = randomBytes(1000);
    const sealed = await encryptChunk(key, transferId, 7, false, plaintext);
    expect(sealed.length).toBe(1016);
    expect(await decryptChunk(key, transferId, 7, false, sealed)).toEqual(new Uint8Array(plaintext));
  });

  it("given an empty final chunk, then it round-trips", async () => {
    const key = await createTransferKey();
    const sealed = await encryptChunk(key, transferId, 0, true, new Uint8Array());
    expect(await decryptChunk(key, transferId, 0, true, sealed)).toEqual(new Uint8Array());
  });

  it("given one flipped ciphertext bit, then decryption is rejected", async () => {
    const key = await createTransferKey();
    const sealed = await encryptChunk(key, transferId, 3, false, randomBytes(64));
    sealed[10] = (sealed[10] ?? 0) ^ 1;
    await expect(decryptChunk(key, transferId, 3, false, sealed)).rejects.toThrow(rejected);
  });

  it("given a chunk replayed at another index, then it is rejected", async () => {
    const key = await createTransferKey();
    const sealed = await encryptChunk(key, transferId, 3, false, randomBytes(64));
    await expect(decryptChunk(key, transferId, 4, false, sealed)).rejects.toThrow(rejected);
  });

  it("given a flipped final flag (truncation or extension), then it is rejected", async () => {
    const key = await createTransferKey();
    const middle = await encryptChunk(key, transferId, 3, false, randomBytes(64));
    const last = await encryptChunk(key, transferId, 4, true, randomBytes(64));
    await expect(decryptChunk(key, transferId, 3, true, middle)).rejects.toThrow(rejected);
    await expect(decryptChunk(key, transferId, 4, false, last)).rejects.toThrow(rejected);
  });

  it("given a chunk spliced in from another transfer or key, then it is rejected", async () => {
    const key = await createTransferKey();
    const sealed = await encryptChunk(key, transferId, 0, false, randomBytes(64));
    await expect(decryptChunk(key, "f".repeat(32), 0, false, sealed)).rejects.toThrow(rejected);
    await expect(decryptChunk(await createTransferKey(), transferId, 0, false, sealed)).rejects.toThrow(rejected);
  });

  it("given indexes beyond 32 bits, then nonces encode them big-endian after 4 zero bytes", () => {
    expect([...chunkNonce(1)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect([...chunkNonce(2 ** 32 + 2)]).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2]);
    expect([...chunkNonce(Number.MAX_SAFE_INTEGER)]).toEqual([0, 0, 0, 0, 0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(() => chunkNonce(-1)).toThrow(RangeError);
    expect(() => chunkNonce(1.5)).toThrow(RangeError);
  });
});

describe("transfer key sealing (single-use sender xkey → receiver xkey)", () => {
  const keyRejected = expect.objectContaining({ code: "KEY_REJECTED" }) as Error;

  it("given a key sealed to the receiver, then the receiver opens it with the announced sender key", async () => {
    const receiver = createCurve();
    const { raw } = await createTransferKey();
    const { senderXkey, sealedKey } = sealTransferKey(raw, receiver.getPublicKey());
    expect(senderXkey).toMatch(/^X[A-Z2-7]{55}$/);
    expect(sealedKey).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(openTransferKey(receiver, sealedKey, senderXkey)).toEqual(raw);
  });

  it("given each seal, then a fresh sender key is used", async () => {
    const receiver = createCurve().getPublicKey();
    const { raw } = await createTransferKey();
    expect(sealTransferKey(raw, receiver).senderXkey).not.toBe(sealTransferKey(raw, receiver).senderXkey);
  });

  it("given the wrong receiver, a wrong sender key or a tampered seal, then opening fails with KEY_REJECTED", async () => {
    const receiver = createCurve();
    const { raw } = await createTransferKey();
    const { senderXkey, sealedKey } = sealTransferKey(raw, receiver.getPublicKey());
    expect(() => openTransferKey(createCurve(), sealedKey, senderXkey)).toThrow(keyRejected);
    expect(() => openTransferKey(receiver, sealedKey, createCurve().getPublicKey())).toThrow(keyRejected);
    const tampered = sealedKey[40] === "A" ? "B" : "A";
    expect(() =>
      openTransferKey(receiver, sealedKey.slice(0, 40) + tampered + sealedKey.slice(41), senderXkey),
    ).toThrow(keyRejected);
    expect(() => openTransferKey(receiver, "not base64url!", senderXkey)).toThrow(keyRejected);
    expect(() => openTransferKey(receiver, sealedKey, "not-a-key")).toThrow(keyRejected);
  });

  it("given a raw key of the wrong size, then it is refused", async () => {
    await expect(importTransferKey(new Uint8Array(16))).rejects.toThrow(keyRejected);
  });
});
