import type { TransferSink } from "@natster/transfer";

/** Collects a download in memory; `committed` only once the receiver verified it. */
export function memorySink(): TransferSink & { bytes(): Uint8Array; committed: boolean } {
  const chunks: Uint8Array[] = [];
  const sink = {
    committed: false,
    write: (chunk: Uint8Array) => {
      chunks.push(chunk.slice());
      return Promise.resolve();
    },
    commit: () => {
      sink.committed = true;
      return Promise.resolve();
    },
    bytes: () => Buffer.concat(chunks),
  };
  return sink;
}
