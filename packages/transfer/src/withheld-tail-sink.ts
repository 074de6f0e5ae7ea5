import type { NatsterError } from "@natster/protocol";
import type { TransferSink } from "./types.ts";

/** A stream a consumer pulls from, e.g. the response body a browser saves to disk. */
export type ChunkOutlet = {
  /** Resolves once the consumer took the chunk: its pace is the transfer's pace. */
  send(chunk: Uint8Array): Promise<void>;
  /** The whole file was verified: the consumer may complete. */
  end(): void;
  /** The download failed (a SHA-256 mismatch among others): the consumer must fail, not complete. */
  fail(error: NatsterError): void;
};

/**
 * A sink for downloadFile that passes chunks on as they come but withholds the last one until
 * the whole file is verified: the consumer can never complete with unverified bytes, and a
 * failure (HASH_MISMATCH, a cut transfer, a cancel) errors it instead.
 */
export function withheldTailSink(outlet: ChunkOutlet): TransferSink {
  let held: Uint8Array | undefined;
  let over = false;
  return {
    async write(chunk) {
      const previous = held;
      held = chunk;
      if (previous) await outlet.send(previous);
    },
    async commit() {
      const last = held;
      held = undefined;
      if (last) await outlet.send(last);
      over = true;
      outlet.end();
    },
    abort(error) {
      held = undefined;
      if (!over) outlet.fail(error);
      over = true;
      return Promise.resolve();
    },
  };
}
