import type { NatsConnection } from "@nats-io/nats-core";
import { NatsterError, normalizeCatalogName, type CatalogEntry } from "@natster/protocol";
import { downloadFile, type DownloadResult, type TransferProgress } from "@natster/transfer";
import { humanSize, MAX_IN_PAGE_BYTES } from "../catalog/format.ts";
import { pageMemorySink } from "./page-memory-sink.ts";
import { pageSha256 } from "./worker-sha256.ts";

export type BlobDownload = {
  nc: NatsConnection;
  catalog: string;
  entry: CatalogEntry;
  onProgress?: (progress: TransferProgress) => void;
  signal?: AbortSignal;
};

/** The file, and who hashed it (for the Downloads row's note). */
export type VerifiedBlob = { blob: Blob; verified: DownloadResult["verified"] };

/**
 * Downloads a whole file over the v2 transfer, decrypting in the page. The bytes only become a
 * Blob after the transfer library verified the file's SHA-256 against the catalog's hash (the
 * sender's, authenticated in the final chunk, or the page's own from an older catalog server).
 */
export async function downloadVerifiedBlob({
  nc,
  catalog,
  entry,
  onProgress,
  signal,
}: BlobDownload): Promise<VerifiedBlob> {
  if (entry.byte_size > MAX_IN_PAGE_BYTES)
    throw new NatsterError(
      "PAYLOAD_TOO_LARGE",
      `${humanSize(entry.byte_size)} is too large to keep in this page (at most ${humanSize(MAX_IN_PAGE_BYTES)}): allow service workers for this site so the browser saves it as it arrives, or use \`natster catalog download\``,
    );
  const sink = pageMemorySink(entry.byte_size);
  const result = await downloadFile({
    nc,
    catalog: normalizeCatalogName(catalog),
    hash: entry.hash,
    sink,
    senderDigest: true,
    sha256: pageSha256(),
    onProgress,
    signal,
    chunkSize: 256 * 1024,
  });
  if (!sink.committed || result.verified === "length")
    throw new NatsterError("HASH_MISMATCH", "the download could not be verified");
  return { blob: new Blob(sink.parts, { type: entry.mime_type }), verified: result.verified };
}
