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

/** Its outcome (a line of JSON on its stdout): bytes the sink took, wall seconds, the process's CPU ms and which AES-GCM opened the chunks. */
export type ReceiverResponse =
  | { ok: true; sinkBytes: number; resultBytes: number; seconds: number; cpuMs: number; cipherEngine: string }
  | { ok: false; error: string };

export const RECEIVER_READY = "receiver ready";
