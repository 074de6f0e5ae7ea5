import { NatsterError } from "@natster/protocol";
import { toHex } from "./bytes.ts";
import { openTransfer, type OpenTransferOptions } from "./open-transfer.ts";
import { paceDelayMs } from "./pace.ts";
import { createSha256, type Sha256, type Sha256Factory } from "./sha256.ts";
import type { TransferProgress, TransferSink } from "./types.ts";
import { toNatsterError } from "./wire.ts";

export type DownloadFileOptions = OpenTransferOptions & {
  sink: TransferSink;
  /** Incremental SHA-256 to verify with (default: pure JS; Node passes `threadedSha256`). */
  sha256?: Sha256Factory;
  onProgress?: (progress: TransferProgress) => void;
  /** Bytes per second at most: the receiver paces its credit, so the sender slows down with it. */
  maxBytesPerSecond?: number;
};

export type DownloadResult = {
  /** Bytes received in this transfer (a resumed prefix excluded). */
  bytes: number;
  offset: number;
  /** Bytes at the destination: the resumed prefix plus this transfer. */
  total: number;
  /**
   * "sha256" when the whole file was hashed here; "sender-sha256" when the sender's SHA-256 of the
   * whole file, authenticated in the final chunk, matched (senderDigest); "length" for ranges.
   */
  verified: "sha256" | "sender-sha256" | "length";
  elapsedMs: number;
  bytesPerSecond: number;
};

/**
 * Downloads `hash` into `sink`, resuming after the sink's prefix, writing strictly in order,
 * and verifying the byte count and (for a whole file) the SHA-256 before `sink.commit()`.
 */
export async function downloadFile(opts: DownloadFileOptions): Promise<DownloadResult> {
  const { sink } = opts;
  const resumed = sink.resume && sink.resume.offset > 0 ? sink.resume : undefined;
  const offset = opts.offset ?? resumed?.offset ?? 0;
  const base = resumed && offset === resumed.offset ? offset : 0;
  const started = Date.now();
  try {
    const transfer = await openTransfer({ ...opts, offset });
    const { length } = transfer.reply;
    const hasher = transfer.reply.sender_digest ? undefined : wholeFileHasher(opts, offset, resumed);
    for await (const chunk of transfer) {
      await hasher?.update(chunk);
      await sink.write(chunk);
      const elapsed = Math.max(1, Date.now() - started);
      opts.onProgress?.({
        received: base + transfer.bytes,
        total: base + length,
        bytesPerSecond: (transfer.bytes * 1000) / elapsed,
      });
      if (opts.maxBytesPerSecond) await sleep(paceDelayMs(transfer.bytes, opts.maxBytesPerSecond, started, Date.now()));
    }
    if (transfer.bytes !== length)
      throw new NatsterError("CHUNK_REJECTED", `received ${transfer.bytes} of ${length} bytes`);
    if (hasher) {
      const actual = toHex(await hasher.digest());
      if (actual !== opts.hash)
        throw new NatsterError("HASH_MISMATCH", `the received file hashes to ${actual}, not ${opts.hash}`);
    }
    if (transfer.reply.sender_digest) {
      const stated = transfer.senderDigest ? toHex(transfer.senderDigest) : "nothing";
      if (stated !== opts.hash)
        throw new NatsterError(
          "HASH_MISMATCH",
          `the catalog server's file hashes to ${stated}, not ${opts.hash}: it changed since it was catalogued`,
        );
    }
    await sink.commit?.();
    const elapsedMs = Math.max(1, Date.now() - started);
    return {
      bytes: length,
      offset,
      total: base + length,
      verified: transfer.reply.sender_digest ? "sender-sha256" : hasher ? "sha256" : "length",
      elapsedMs,
      bytesPerSecond: (length * 1000) / elapsedMs,
    };
  } catch (error) {
    const failure = toNatsterError(error);
    await sink.abort?.(failure).catch(() => undefined);
    throw failure;
  }
}

/** A whole file can be hashed when the transfer runs to its end from 0, or from a prefix the sink already hashed. */
function wholeFileHasher(
  opts: DownloadFileOptions,
  offset: number,
  resumed: TransferSink["resume"],
): Sha256 | undefined {
  if (opts.length !== undefined) return undefined;
  if (offset === 0) return (opts.sha256 ?? createSha256)();
  return resumed && offset === resumed.offset ? resumed.prefix : undefined;
}

const sleep = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
