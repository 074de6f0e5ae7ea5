/**
 * Bytes handed to the hashing thread and not hashed yet, beyond which `update` makes the caller wait:
 * what a catalog server may hold per download for its sender digest (SECURITY.md). The thread hashes
 * ≈ 1 GB/s, so at network speed the queue stays far below it.
 */
export const MAX_QUEUED_BYTES = 2 * 1024 * 1024;
