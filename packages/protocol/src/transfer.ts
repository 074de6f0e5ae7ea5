/**
 * Transfer protocol v2 wire types (the full spec is packages/transfer/PROTOCOL.md).
 *
 * receiver                                   catalog server
 *   SUB natster.media.<cat>.<transfer_id>
 *   REQ natster.catalog.<cat>.download  ──►  authorize token 1, seal a fresh AES key to receiver_xkey
 *                                       ◄──  DownloadReply (sender_xkey, sealed_key, sizes)
 *   PUB natster.catalog.<cat>.credit.<id> ►  window: send chunks up to acked + credit
 *                                       ◄──  chunks on <REQUESTER>.natster.media.<cat>.<transfer_id>
 */

export const TRANSFER_VERSION = 2;
/** Chosen by measurement: bench/results/chunk-size.svg (`npm run bench`). */
export const DEFAULT_CHUNK_SIZE = 256 * 1024;
export const MIN_CHUNK_SIZE = 16 * 1024;
export const MAX_CHUNK_SIZE = 512 * 1024;
export const DEFAULT_CREDIT = 16;
/** The most chunks a receiver may ask for ahead of what it consumed; larger credits are clamped. */
export const MAX_CREDIT = 64;
/** A sender with no credit from its receiver for this long stops and frees the transfer. */
export const STALL_TIMEOUT_MS = 15_000;

export type DownloadRequest = {
  version: 2;
  hash: string;
  /** The receiver's single-use curve (xkey) public key. */
  receiver_xkey: string;
  /** 32 lowercase hex chars the receiver chose and already subscribed to. */
  transfer_id: string;
  /** First byte to send (resume or range); default 0. */
  offset?: number;
  /** Bytes to send from offset; default to the end of the file. */
  length?: number;
  chunk_size?: number;
  /** Chunks the sender may send before the first credit message. */
  credit?: number;
  /** "aes-256-gcm" (default); "none" only where the server allows it (benchmarks). */
  cipher?: "aes-256-gcm" | "none";
  /**
   * Ask the sender to hash the whole file as it sends it and to end the final chunk's plaintext
   * with that SHA-256 (SENDER_DIGEST_BYTES, authenticated by the chunk's AES-GCM tag), so the
   * receiver need not hash. Whole, encrypted files only (offset 0, no length, aes-256-gcm).
   */
  sender_digest?: boolean;
};

export type DownloadReply = {
  version: 2;
  transfer_id: string;
  /** Upstream fields, kept so upstream-shaped clients can read the reply. */
  acknowledged: true;
  chunk_size: number;
  total_chunks: number;
  sender_xkey: string;
  total_bytes: number;
  /** The AES-256 key, xkey-sealed from sender_xkey to receiver_xkey, base64url. */
  sealed_key: string;
  cipher: "aes-256-gcm" | "none";
  offset: number;
  length: number;
  hash: string;
  mime_type: string;
  /** The sender stops after this long without credit; receivers send a keep-alive credit well within it. */
  stall_timeout_ms?: number;
  /** True when the final chunk ends with the sender's SHA-256 of the whole file (the request asked for it). */
  sender_digest?: boolean;
};

/** Bytes of the sender's SHA-256 at the end of the final chunk's plaintext (DownloadRequest.sender_digest). */
export const SENDER_DIGEST_BYTES = 32;

/** Receiver → sender, published on natster.catalog.<cat>.credit.<transfer_id>. */
export type CreditMessage = {
  transfer_id: string;
  /** Number of chunks received in order so far. */
  received: number;
  /** How many more chunks beyond `received` the sender may send. */
  credit: number;
  /** The receiver gives up; the sender stops at once. */
  cancel?: boolean;
};

export const TransferHeaders = {
  transfer: "x-natster-transfer",
  chunkIndex: "x-natster-chunk-idx",
  final: "x-natster-final",
  error: "x-natster-error",
} as const;

export const TRANSFER_ID = /^[0-9a-f]{32}$/;
export const SHA256_HEX = /^[0-9a-f]{64}$/;

export const downloadSubject = (catalog: string) => `natster.catalog.${catalog}.download`;
export const creditSubject = (catalog: string, transferId: string) => `natster.catalog.${catalog}.credit.${transferId}`;
export const mediaSubject = (catalog: string, transferId: string) => `natster.media.${catalog}.${transferId}`;

/** Associated data bound into every chunk's AES-GCM tag: no reordering, truncation or splicing. */
export const chunkAad = (transferId: string, index: number, final: boolean): string =>
  `natster-v2|${transferId}|${index}|${final ? 1 : 0}`;
