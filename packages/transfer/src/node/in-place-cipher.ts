import { CHUNK_TAG_BYTES, type ChunkCipher } from "../crypto.ts";
import { toNatsterError } from "../wire.ts";

type InPlace = Pick<Required<ChunkCipher>, "sealInPlace" | "openInPlace">;

/** A whole ChunkCipher from in-place sealing and opening: encrypt and decrypt work on a copy, so the caller's bytes stay as they were. */
export function inPlaceChunkCipher({ sealInPlace, openInPlace }: InPlace): Required<ChunkCipher> {
  return {
    encrypt(key, transferId, index, final, plaintext) {
      // Every byte is written by the seal, so the buffer need not be zero-filled.
      const sealed = Buffer.allocUnsafe(plaintext.length + CHUNK_TAG_BYTES);
      sealed.set(plaintext);
      sealInPlace(key, transferId, index, final, sealed);
      return Promise.resolve(new Uint8Array(sealed.buffer, sealed.byteOffset, sealed.byteLength));
    },
    decrypt(key, transferId, index, final, ciphertext) {
      try {
        return Promise.resolve(openInPlace(key, transferId, index, final, ciphertext.slice()));
      } catch (error) {
        return Promise.reject(toNatsterError(error));
      }
    },
    sealInPlace,
    openInPlace,
  };
}
