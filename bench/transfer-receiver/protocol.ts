import type { Cipher } from "@natster/transfer";

/** One download the receiver process runs (a line of JSON on its stdin). */
export type ReceiverRequest = {
  catalog: string;
  hash: string;
  /** Unset: downloadFile's defaults, as `natster catalog download` uses them. */
  cipher?: Cipher;
  chunkSize?: number;
  window?: number;
  length?: number;
  /** Set: the file is written there as `natster catalog download` writes it (partialFileSink: .partial, fsync, rename); unset: a hashing null sink. */
  saveTo?: string;
};

/** Its outcome (a line of JSON on its stdout): bytes the sink took, wall seconds and the process's CPU ms. */
export type ReceiverResponse =
  | { ok: true; sinkBytes: number; resultBytes: number; seconds: number; cpuMs: number }
  | { ok: false; error: string };

export const RECEIVER_READY = "receiver ready";
