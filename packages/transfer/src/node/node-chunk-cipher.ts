import { createCipheriv, createDecipheriv, type CipherGCM, type DecipherGCM } from "node:crypto";
import { chunkAad } from "@natster/protocol";
import { CHUNK_TAG_BYTES, chunkNonce, chunkRejected, type ChunkCipher, type TransferKey } from "../crypto.ts";
import { inPlaceChunkCipher } from "./in-place-cipher.ts";

const ALGORITHM = "aes-256-gcm";
/**
 * node:crypto's update() cannot write into a given buffer: it returns a new one (in Node 20 it even
 * allocates one byte too many, then copies into an exact, zero-filled one). Fed a whole 256 KiB
 * chunk, those fresh buffers fault in new pages and miss the cache, and cost more than AES itself.
 * Fed slices this small, they are recycled by malloc and stay in L1/L2, and copying each result
 * back over the slice it came from (in place) touches no memory the chunk did not already use.
 */
const SLICE_BYTES = 64 * 1024;

/** Runs `buffer[0, length)` through `cipher` slice by slice, writing the output over its input. */
function updateInPlace(cipher: CipherGCM | DecipherGCM, buffer: Uint8Array, length: number): void {
  for (let offset = 0; offset < length; offset += SLICE_BYTES) {
    const slice = buffer.subarray(offset, Math.min(offset + SLICE_BYTES, length));
    const out = cipher.update(slice);
    // GCM is a stream mode: update() returns exactly as many bytes as it was given.
    if (out.length !== slice.length) throw new Error(`AES-GCM returned ${out.length} bytes for ${slice.length}`);
    buffer.set(out, offset);
  }
}

const cipherFor = (key: TransferKey, transferId: string, index: number, final: boolean): CipherGCM => {
  const cipher = createCipheriv(ALGORITHM, key.raw, chunkNonce(index), { authTagLength: CHUNK_TAG_BYTES });
  cipher.setAAD(Buffer.from(chunkAad(transferId, index, final)));
  return cipher;
};

function sealInPlace(key: TransferKey, transferId: string, index: number, final: boolean, buffer: Uint8Array): void {
  const length = buffer.length - CHUNK_TAG_BYTES;
  if (length < 0) throw new RangeError(`a sealed chunk needs ${CHUNK_TAG_BYTES} bytes for its tag`);
  const cipher = cipherFor(key, transferId, index, final);
  updateInPlace(cipher, buffer, length);
  cipher.final();
  buffer.set(cipher.getAuthTag(), length);
}

function openInPlace(
  key: TransferKey,
  transferId: string,
  index: number,
  final: boolean,
  buffer: Uint8Array,
): Uint8Array {
  const length = buffer.length - CHUNK_TAG_BYTES;
  if (length < 0) throw chunkRejected(transferId, index);
  try {
    const decipher = createDecipheriv(ALGORITHM, key.raw, chunkNonce(index), { authTagLength: CHUNK_TAG_BYTES });
    decipher.setAAD(Buffer.from(chunkAad(transferId, index, final)));
    decipher.setAuthTag(buffer.subarray(length));
    updateInPlace(decipher, buffer, length);
    decipher.final();
  } catch {
    throw chunkRejected(transferId, index);
  }
  return buffer.subarray(0, length);
}

/** AES-256-GCM through node:crypto: the same bytes as WebCrypto's (PROTOCOL.md), on the calling thread, in place when the caller allows it. */
export const nodeCryptoChunkCipher: Required<ChunkCipher> = inPlaceChunkCipher({ sealInPlace, openInPlace });
