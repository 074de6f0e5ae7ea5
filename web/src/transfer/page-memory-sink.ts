import { NatsterError } from "@natster/protocol";
import type { TransferSink } from "@natster/transfer";

/** A download's bytes held in the page, never more than the catalog listed for the file. */
export type PageMemorySink = TransferSink & {
  readonly parts: Uint8Array<ArrayBuffer>[];
  readonly committed: boolean;
};

/**
 * Collects a download in the page's memory. A catalog server that sends more than the listed
 * size is refused at the first byte too many (the file's hash would fail only at the end, after
 * the page had held all of it).
 */
export function pageMemorySink(listedBytes: number): PageMemorySink {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let held = 0;
  let committed = false;
  return {
    parts,
    get committed() {
      return committed;
    },
    write(chunk) {
      held += chunk.length;
      if (held > listedBytes)
        return Promise.reject(
          new NatsterError("CHUNK_REJECTED", `the catalog server sent more than the ${listedBytes} bytes it listed`),
        );
      // Decrypted chunks own their buffers; the Blob copies them in any case.
      parts.push(chunk as Uint8Array<ArrayBuffer>);
      return Promise.resolve();
    },
    commit() {
      committed = true;
      return Promise.resolve();
    },
  };
}
