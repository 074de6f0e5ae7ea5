/**
 * Upstream Natster's download protocol (reference §5.5, §6.1), re-implemented faithfully so v2 can
 * be measured against it in the same harness: one nkeys xkey box (`seal`, format xkv1: X25519 +
 * XSalsa20-Poly1305, a fresh random nonce, the shared key derived on every call) per 4 KiB chunk,
 * plain core-NATS publishes, no flow control, no acknowledgements, no integrity check.
 */
export const UPSTREAM_CHUNK_SIZE = 4096;

/** Chunk headers, lowercase and exact as upstream sends them. */
export const UpstreamHeaders = {
  chunkIdx: "x-natster-chunk-idx",
  senderXkey: "x-natster-sender-xkey",
  totalChunks: "x-natster-total-chunks",
} as const;

/** `DownloadRequest` (natster_api.go:27-31). */
export type UpstreamDownloadRequest = { hash: string; transcode: boolean; target_xkey: string };

/** `DownloadResponse` (natster_api.go:33-39), inside `{code, data, error}`. */
export type UpstreamDownloadResponse = {
  acknowledged: boolean;
  chunk_size: number;
  total_chunks: number;
  sender_xkey: string;
  total_bytes: number;
};

/** Upstream's media subject is per *hash* (its bug 5: two downloads of one file mix). */
export const upstreamMediaSubject = (requester: string | undefined, catalog: string, hash: string): string =>
  `${requester ? `${requester}.` : ""}natster.media.${catalog}.${hash}`;
