import { createCurve, type KeyPair } from "@nats-io/nkeys";
import { bufferSource, chunkAad, NatsterError } from "@natster/protocol";
import { fromBase64Url, toBase64Url } from "./bytes.ts";

// Derived from the global, so the types hold with or without the DOM lib.
type WebCryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
type AesGcmParams = Parameters<typeof crypto.subtle.encrypt>[0];

/** A transfer's AES-256-GCM key: the raw bytes (to seal once) and the WebCrypto handle. */
export type TransferKey = { raw: Uint8Array; key: WebCryptoKey };

const AES = "AES-GCM";
const KEY_BYTES = 32;
const enc = new TextEncoder();

export async function importTransferKey(raw: Uint8Array): Promise<TransferKey> {
  if (raw.length !== KEY_BYTES)
    throw new NatsterError("KEY_REJECTED", `a transfer key has ${KEY_BYTES} bytes, not ${raw.length}`);
  const key = await crypto.subtle.importKey("raw", bufferSource(raw), AES, false, ["encrypt", "decrypt"]);
  return { raw, key };
}

/** A fresh random key: one per transfer, which is what makes counter nonces safe. */
export const createTransferKey = (): Promise<TransferKey> =>
  importTransferKey(crypto.getRandomValues(new Uint8Array(KEY_BYTES)));

/** 4 zero bytes ‖ the chunk index as 8 bytes big-endian (indexes stay exact up to 2^53). */
export function chunkNonce(index: number): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(index) || index < 0)
    throw new RangeError(`chunk index ${index} is not a non-negative safe integer`);
  const nonce = new Uint8Array(12);
  const view = new DataView(nonce.buffer);
  view.setUint32(4, Math.floor(index / 2 ** 32));
  view.setUint32(8, index % 2 ** 32);
  return nonce;
}

const gcmParams = (transferId: string, index: number, final: boolean): AesGcmParams => ({
  name: AES,
  iv: chunkNonce(index),
  additionalData: enc.encode(chunkAad(transferId, index, final)),
});

export async function encryptChunk(
  key: TransferKey,
  transferId: string,
  index: number,
  final: boolean,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  return new Uint8Array(
    await crypto.subtle.encrypt(gcmParams(transferId, index, final), key.key, bufferSource(plaintext)),
  );
}

/** Throws CHUNK_REJECTED when the chunk was tampered with, moved to another index or had its final flag flipped. */
export async function decryptChunk(
  key: TransferKey,
  transferId: string,
  index: number,
  final: boolean,
  ciphertext: Uint8Array,
): Promise<Uint8Array> {
  try {
    return new Uint8Array(
      await crypto.subtle.decrypt(gcmParams(transferId, index, final), key.key, bufferSource(ciphertext)),
    );
  } catch {
    throw chunkRejected(transferId, index);
  }
}

/** The AES-GCM tag every sealed chunk carries after its ciphertext. */
export const CHUNK_TAG_BYTES = 16;

/**
 * Chunk encryption as PROTOCOL.md defines it (ciphertext ‖ 16-byte tag). Browsers use WebCrypto;
 * Node injects its own (src/node: the native addon, else node:crypto), which skip WebCrypto's
 * per-call copies and thread hop.
 */
export type ChunkCipher = {
  encrypt(
    key: TransferKey,
    transferId: string,
    index: number,
    final: boolean,
    plaintext: Uint8Array,
  ): Promise<Uint8Array>;
  /** Rejects with CHUNK_REJECTED when the chunk does not authenticate. */
  decrypt(
    key: TransferKey,
    transferId: string,
    index: number,
    final: boolean,
    ciphertext: Uint8Array,
  ): Promise<Uint8Array>;
  /**
   * Optional, for a cipher that runs on the calling thread: seals within the caller's own buffer,
   * so a chunk needs no buffer besides the one it was read into. `buffer` holds the plaintext
   * followed by CHUNK_TAG_BYTES spare bytes; on return it holds ciphertext ‖ tag.
   */
  sealInPlace?(key: TransferKey, transferId: string, index: number, final: boolean, buffer: Uint8Array): void;
  /**
   * Optional, the same for opening: `buffer` (ciphertext ‖ tag, the caller's own) is overwritten
   * with the plaintext, returned as a view of its start. Throws CHUNK_REJECTED when the chunk does
   * not authenticate (the buffer then holds garbage).
   */
  openInPlace?(key: TransferKey, transferId: string, index: number, final: boolean, buffer: Uint8Array): Uint8Array;
};

export const webCryptoChunkCipher: ChunkCipher = { encrypt: encryptChunk, decrypt: decryptChunk };

export const chunkRejected = (transferId: string, index: number): NatsterError =>
  new NatsterError(
    "CHUNK_REJECTED",
    `chunk ${index} of transfer ${transferId} failed authentication (tampered, reordered or truncated)`,
  );

export type SealedKey = { senderXkey: string; sealedKey: string };

/** Seals the raw key to the receiver with a single-use sender xkey, which is wiped right after. */
export function sealTransferKey(raw: Uint8Array, receiverXkey: string): SealedKey {
  const sender = createCurve();
  try {
    return { senderXkey: sender.getPublicKey(), sealedKey: toBase64Url(sender.seal(raw, receiverXkey)) };
  } finally {
    sender.clear();
  }
}

/** Opens a sealed key with the receiver's xkey; KEY_REJECTED when it was not sealed by `senderXkey` to `receiver`. */
export function openTransferKey(receiver: KeyPair, sealedKey: string, senderXkey: string): Uint8Array {
  const sealed = fromBase64Url(sealedKey);
  let raw: Uint8Array | null = null;
  try {
    raw = sealed ? receiver.open(sealed, senderXkey) : null;
  } catch {
    raw = null;
  }
  if (!raw || raw.length !== KEY_BYTES)
    throw new NatsterError("KEY_REJECTED", "the transfer key does not open with this receiver's xkey");
  return raw;
}
