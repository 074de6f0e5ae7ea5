import { createCipheriv, createDecipheriv } from "node:crypto";
import { chunkAad } from "@natster/protocol";
import { chunkNonce, chunkRejected, type ChunkCipher } from "../crypto.ts";

const ALGORITHM = "aes-256-gcm";
const TAG_BYTES = 16;

/** AES-256-GCM through node:crypto: the same bytes as WebCrypto's (PROTOCOL.md), with no per-call copy or thread hop. */
export const nodeChunkCipher: ChunkCipher = {
  encrypt(key, transferId, index, final, plaintext) {
    const cipher = createCipheriv(ALGORITHM, key.raw, chunkNonce(index), { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(chunkAad(transferId, index, final)));
    const body = cipher.update(plaintext);
    cipher.final();
    // concat allocates without zero-filling: every byte is written.
    const sealed = Buffer.concat([body, cipher.getAuthTag()]);
    return Promise.resolve(new Uint8Array(sealed.buffer, sealed.byteOffset, sealed.byteLength));
  },
  decrypt(key, transferId, index, final, ciphertext) {
    if (ciphertext.length < TAG_BYTES) return Promise.reject(chunkRejected(transferId, index));
    try {
      const decipher = createDecipheriv(ALGORITHM, key.raw, chunkNonce(index), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(chunkAad(transferId, index, final)));
      decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_BYTES));
      const body = decipher.update(ciphertext.subarray(0, ciphertext.length - TAG_BYTES));
      decipher.final();
      return Promise.resolve(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
    } catch {
      return Promise.reject(chunkRejected(transferId, index));
    }
  },
};
