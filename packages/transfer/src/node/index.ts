/** Node-only adapters for @natster/transfer: files on disk and node:crypto hashing. */
export { fileSource } from "./file-source.ts";
export { partialFileSink, type PartialFileSink, type PartialFileSinkOptions } from "./partial-file-sink.ts";
export { hashFilePrefix, nodeSha256 } from "./node-sha256.ts";
export { nodeChunkCipher } from "./node-chunk-cipher.ts";
