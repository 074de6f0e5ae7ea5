/** Node-only adapters for @natster/transfer: files on disk, node:crypto hashing (here or on a thread of its own) and the native AES-256-GCM. */
export { fileSource } from "./file-source.ts";
export { partialFileSink, type PartialFileSink, type PartialFileSinkOptions } from "./partial-file-sink.ts";
export { hashFilePrefix, nodeSha256 } from "./node-sha256.ts";
export { threadedSha256 } from "./threaded-sha256.ts";
export { chunkCipherEngine, nodeChunkCipher } from "./chunk-cipher-engine.ts";
export { nodeCryptoChunkCipher } from "./node-chunk-cipher.ts";
