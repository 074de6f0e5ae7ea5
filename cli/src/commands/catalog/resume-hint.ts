import { NatsterError, type ErrorCode } from "@natster/protocol";
import { humanBytes } from "../../progress.ts";

/** Failures after which the same command picks up where the download stopped. */
const RESUMABLE: readonly ErrorCode[] = ["TRANSFER_CANCELLED", "TRANSFER_STALLED", "TIMEOUT", "CATALOG_OFFLINE"];

/**
 * A download that stopped with bytes kept in `<out>.partial` says so, and how to go on: the person
 * who pressed Ctrl-C (or lost the server) otherwise reads only "cancelled".
 */
export function withResumeHint(error: unknown, partial: { path: string; bytes: number }): unknown {
  if (!(error instanceof NatsterError) || !RESUMABLE.includes(error.code) || partial.bytes <= 0) return error;
  return new NatsterError(
    error.code,
    `${error.message}; ${humanBytes(partial.bytes)} kept in ${partial.path}: run the same command again to resume`,
  );
}
