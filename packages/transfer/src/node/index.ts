/** Node-only adapters for @natster/transfer: files on disk, node:crypto hashing and the native AES-256-GCM. */
export { fileSource } from "./file-source.ts";
export { partialFileSink, type PartialFileSink, type PartialFileSinkOptions } from "./partial-file-sink.ts";
export { hashFilePrefix, nodeSha256 } from "./node-sha256.ts";
export { chunkCipherEngine, nodeChunkCipher } from "./chunk-cipher-engine.ts";
export { nodeCryptoChunkCipher } from "./node-chunk-cipher.ts";
