import type { NatsConnection } from "@nats-io/nats-core";
import { NatsterError, normalizeCatalogName, type CatalogEntry } from "@natster/protocol";
import {
  downloadFile,
  withheldTailSink,
  type ChunkOutlet,
  type DownloadResult,
  type TransferProgress,
} from "@natster/transfer";
import { fileNameOf } from "../catalog/tree.ts";
import type { PageToWorker, WorkerToPage } from "../sw/messages.ts";
import { diskWindow } from "./disk-window.ts";
import { downloadHeaders } from "./download-headers.ts";
import { ownBuffer } from "./own-buffer.ts";
import { pageSha256 } from "./worker-sha256.ts";

export const DOWNLOAD_PREFIX = "/download/";
/** How long the service worker has to pick up the download's request. */
const PICKUP_TIMEOUT_MS = 15_000;
/**
 * A page's path has more hops than the CLI's (websocket, WebCrypto's thread, the worker, the
 * browser's download writer), so each credit round trip takes longer: a larger window and chunk
 * keep the pipe full (disk-window.ts). The page holds at most window + 2 chunks either way.
 */
const DISK_CHUNK_SIZE = 512 * 1024;
/** Chunks credited to the page's running disk downloads (their windows). */
let reservedChunks = 0;

export type DiskDownload = {
  nc: NatsConnection;
  catalog: string;
  entry: CatalogEntry;
  onProgress?: (progress: TransferProgress) => void;
  signal?: AbortSignal;
};

/** Downloads waiting for the service worker to ask for their bytes, by URL path. */
const waiting = new Map<string, (port: MessagePort) => void>();
let nextId = 1;

/** The media bridge hands the worker's requests for `/download/...` here; false when this page holds no such download. */
export function answerDownloadRequest(path: string, port: MessagePort): boolean {
  const pickUp = waiting.get(path);
  if (!pickUp) return false;
  waiting.delete(path);
  pickUp(port);
  return true;
}

/**
 * Streams a file to the browser's downloads (and so to disk) through the service worker: a hidden
 * frame opens `/download/<id>/<name>`, the worker answers it with a response whose body the page
 * fills chunk by chunk as the browser pulls, decrypting and hashing on the way. Memory stays at
 * the transfer window whatever the file size. The last chunk is withheld until the SHA-256
 * matches (the sender's, authenticated in the final chunk), so a mismatch fails the browser's
 * download instead of completing it.
 * Requires the media service worker to control the page (ensureMediaWorker).
 */
export async function downloadToDisk({
  nc,
  catalog,
  entry,
  onProgress,
  signal,
}: DiskDownload): Promise<DownloadResult> {
  const name = fileNameOf(entry);
  const path = `${DOWNLOAD_PREFIX}${nextId++}/${encodeURIComponent(name)}`;
  const frame = document.createElement("iframe");
  frame.hidden = true;
  const port = await new Promise<MessagePort>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(path);
      reject(new NatsterError("INTERNAL", "the browser did not start the download (is the service worker running?)"));
    }, PICKUP_TIMEOUT_MS);
    waiting.set(path, (p) => {
      clearTimeout(timer);
      resolve(p);
    });
    frame.src = path;
    document.body.append(frame);
  }).catch((error: unknown) => {
    frame.remove();
    throw error;
  });
  const cancelled = new AbortController();
  const onAbort = () => cancelled.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  const outlet = portOutlet(port, { name, size: entry.byte_size, onCancel: () => cancelled.abort() });
  const creditWindow = diskWindow(reservedChunks);
  reservedChunks += creditWindow;
  try {
    return await downloadFile({
      nc,
      catalog: normalizeCatalogName(catalog),
      hash: entry.hash,
      sink: withheldTailSink(outlet),
      // The catalog server hashes while it sends (node:crypto, with the CPU's SHA instructions) and
      // states the digest inside the final chunk's AES-GCM tag; pageSha256 is for older servers.
      senderDigest: true,
      sha256: pageSha256(),
      onProgress,
      signal: cancelled.signal,
      chunkSize: DISK_CHUNK_SIZE,
      window: creditWindow,
    });
  } finally {
    reservedChunks -= creditWindow;
    signal?.removeEventListener("abort", onAbort);
    // The browser's download no longer needs the frame once the body is complete or failed.
    setTimeout(() => frame.remove(), 1000);
  }
}

/** The response the worker gives the browser: headers at once, then one chunk per pull from the worker's stream. */
function portOutlet(port: MessagePort, file: { name: string; size: number; onCancel(): void }): ChunkOutlet {
  const post = (message: PageToWorker, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  let pulls = 0;
  let wake: (() => void) | undefined;
  let cancelled = false;
  port.onmessage = (event: MessageEvent<WorkerToPage>) => {
    if (event.data.type === "cancel") {
      cancelled = true;
      file.onCancel();
    } else pulls++;
    wake?.();
  };
  post({ type: "head", status: 200, headers: downloadHeaders(file.name, file.size) });
  return {
    async send(chunk) {
      while (pulls === 0 && !cancelled) await new Promise<void>((resolve) => (wake = resolve));
      if (cancelled) throw new NatsterError("TRANSFER_CANCELLED", "the browser cancelled the download");
      pulls--;
      const bytes = ownBuffer(chunk);
      post({ type: "chunk", bytes }, [bytes]);
    },
    end() {
      post({ type: "end" });
      port.close();
    },
    fail(error) {
      post({ type: "error", message: `${error.code}: ${error.message}` });
      port.close();
    },
  };
}
