import type { ChunkCipher } from "../crypto.ts";
import { loadNativeAead } from "./native-aead.ts";
import { nativeChunkCipher } from "./native-chunk-cipher.ts";
import { nodeCryptoChunkCipher } from "./node-chunk-cipher.ts";

type Engine = { cipher: Required<ChunkCipher>; name: string };
let engine: Engine | undefined;

/** The native addon when it loads and passes its self-check, else node:crypto; chosen once, at first use. */
function chosen(): Engine {
  if (!engine) {
    const load = loadNativeAead();
    engine = load.aead
      ? {
          cipher: nativeChunkCipher(load.aead),
          name: `native AES-256-GCM in place, ${load.aead.backend} (${load.from})`,
        }
      : { cipher: nodeCryptoChunkCipher, name: `node:crypto AES-256-GCM (${load.why})` };
  }
  return engine;
}

/** Says which AES-256-GCM runs this process's transfers, and why (for logs and the bench). */
export const chunkCipherEngine = (): string => chosen().name;

/** What Node ends of a transfer use: the same wire bytes whichever engine runs. */
export const nodeChunkCipher: Required<ChunkCipher> = {
  encrypt: (...args) => chosen().cipher.encrypt(...args),
  decrypt: (...args) => chosen().cipher.decrypt(...args),
  sealInPlace: (...args) => chosen().cipher.sealInPlace(...args),
  openInPlace: (...args) => chosen().cipher.openInPlace(...args),
};
