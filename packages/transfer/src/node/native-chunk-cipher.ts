import { chunkAad } from "@natster/protocol";
import { CHUNK_TAG_BYTES, chunkNonce, chunkRejected, type ChunkCipher, type TransferKey } from "../crypto.ts";
import { inPlaceChunkCipher } from "./in-place-cipher.ts";
import type { NativeAead } from "./native-aead.ts";

const enc = new TextEncoder();

/** AES-256-GCM through the native addon: the same bytes as node:crypto and WebCrypto, written over the chunk itself. */
export function nativeChunkCipher(aead: NativeAead): Required<ChunkCipher> {
  const aad = (transferId: string, index: number, final: boolean) => enc.encode(chunkAad(transferId, index, final));

  function sealInPlace(key: TransferKey, transferId: string, index: number, final: boolean, buffer: Uint8Array): void {
    if (buffer.length < CHUNK_TAG_BYTES)
      throw new RangeError(`a sealed chunk needs ${CHUNK_TAG_BYTES} bytes for its tag`);
    if (!aead.sealInPlace(key.raw, chunkNonce(index), aad(transferId, index, final), buffer))
      throw new Error(`AES-GCM could not seal chunk ${index}`);
  }

  function openInPlace(key: TransferKey, transferId: string, index: number, final: boolean, buffer: Uint8Array) {
    if (
      buffer.length < CHUNK_TAG_BYTES ||
      !aead.openInPlace(key.raw, chunkNonce(index), aad(transferId, index, final), buffer)
    )
      throw chunkRejected(transferId, index);
    return buffer.subarray(0, buffer.length - CHUNK_TAG_BYTES);
  }

  return inPlaceChunkCipher({ sealInPlace, openInPlace });
}
