import type { NatsConnection } from "@nats-io/nats-core";
import { NatsterError, normalizeCatalogName, type CatalogEntry } from "@natster/protocol";
import { downloadFile, type DownloadResult, type TransferProgress, type TransferSink } from "@natster/transfer";
import { humanSize, MAX_BLOB_VIEW_BYTES } from "../catalog/format.ts";
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
  if (entry.byte_size > MAX_BLOB_VIEW_BYTES)
    throw new NatsterError(
      "PAYLOAD_TOO_LARGE",
      `${humanSize(entry.byte_size)} is too large to keep in this page (at most ${humanSize(MAX_BLOB_VIEW_BYTES)}): allow service workers for this site so the browser saves it as it arrives, or use \`natster catalog download\``,
    );
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let committed = false;
  const sink: TransferSink = {
    write: (chunk) => {
      // Decrypted chunks own their buffers; the Blob copies them in any case.
      parts.push(chunk as Uint8Array<ArrayBuffer>);
      return Promise.resolve();
    },
    commit: () => {
      committed = true;
      return Promise.resolve();
    },
  };
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
  if (!committed || result.verified === "length")
    throw new NatsterError("HASH_MISMATCH", "the download could not be verified");
  return { blob: new Blob(parts, { type: entry.mime_type }), verified: result.verified };
}
