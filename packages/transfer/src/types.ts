import type { NatsConnection } from "@nats-io/nats-core";
import type { NatsterError } from "@natster/protocol";
import type { Sha256 } from "./sha256.ts";

/** The slice of a NatsConnection each side uses (a real connection satisfies both). */
export type SenderConnection = Pick<NatsConnection, "publish" | "subscribe" | "flush">;
export type ReceiverConnection = Pick<NatsConnection, "publish" | "subscribe" | "request">;

/** Random access to the file being sent. Reads are lazy: the sender never holds more than its window. */
export type TransferSource = {
  size: number;
  /**
   * Exactly `length` bytes starting at `offset` (fewer is an error: the file shrank). With `into`
   * (at least `length` bytes), the source may fill and return it instead of allocating.
   */
  read(offset: number, length: number, into?: Uint8Array): Promise<Uint8Array>;
  /** Called once when the transfer ends, however it ends. */
  close?(): Promise<void>;
};

/** Where downloadFile writes, in order. */
export type TransferSink = {
  write(chunk: Uint8Array): Promise<void>;
  /** Bytes already present (a resumed download) and, to verify the whole file, a hasher already fed with them. */
  resume?: { offset: number; prefix?: Sha256 };
  /** Called once the bytes (and the hash, when checkable) are verified. */
  commit?(): Promise<void>;
  /** Called when the download fails; the sink decides what it keeps for a later resume. */
  abort?(error: NatsterError): Promise<void>;
};

export type SenderEndReason = "complete" | "stalled" | "cancelled" | "revoked" | "error";

export type SenderStats = {
  transferId: string | undefined;
  /** Plaintext bytes and chunks published. */
  bytes: number;
  chunks: number;
  reason: SenderEndReason;
  error?: NatsterError;
  /** The SHA-256 (hex) the sender stated in the final chunk, when the receiver asked for its digest. */
  statedDigest?: string;
};

export type TransferProgress = {
  /** Bytes present at the destination, a resumed prefix included. */
  received: number;
  /** Bytes the destination holds when the download completes. */
  total: number;
  bytesPerSecond: number;
};
