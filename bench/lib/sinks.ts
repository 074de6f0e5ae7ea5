import type { TransferSink } from "@natster/transfer";

/**
 * The receiver's sink in the throughput benchmarks: bytes are dropped once downloadFile has
 * checked them (order, sizes, and the SHA-256 of the whole file with node:crypto, exactly as the
 * CLI does). Disk writes and the final fsync are left out on purpose: they cost the same with or
 * without encryption and would only dilute the difference being measured.
 */
export function hashingNullSink(): TransferSink & { bytes(): number } {
  let bytes = 0;
  return {
    write(chunk) {
      bytes += chunk.length;
      return Promise.resolve();
    },
    bytes: () => bytes,
  };
}
