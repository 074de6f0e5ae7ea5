import type { NatsConnection } from "@nats-io/nats-core";
import { normalizeCatalogName } from "@natster/protocol";
import { openTransfer, type IncomingTransfer } from "@natster/transfer";
import { errorCodeOf, messageOf } from "../nats/request.ts";
import type { MediaRequestMessage, PageToWorker, WorkerToPage } from "../sw/messages.ts";
import { answerDownloadRequest } from "../transfer/disk-download.ts";
import { ownBuffer } from "../transfer/own-buffer.ts";
import { decideRange, rangeHeaders, transferSpan } from "./range.ts";

/** A file the page can stream to a media element through the service worker. */
export type MediaFile = { nc: NatsConnection; catalog: string; hash: string; size: number; mime: string };

/** Small chunks and a short window: a seek or a pause leaves little in flight. */
const STREAM_CHUNK_SIZE = 64 * 1024;
const STREAM_WINDOW = 8;
const MAX_SPANS = 100;

const registered = new Map<string, MediaFile>();

/**
 * The byte spans handed to media elements so far (start, bytes delivered), for observers such
 * as the seek benchmark: read in the same turn as a seek, they say exactly what was fetched before it.
 */
export type MediaSpan = { path: string; start: number; delivered: number };
const spans: MediaSpan[] = [];
(globalThis as { __natsterMediaSpans?: MediaSpan[] }).__natsterMediaSpans = spans;
const streams = new Map<string, Set<IncomingTransfer>>();
let nextId = 1;

/** Makes `file` playable at the returned same-origin URL until `release()`. */
export function registerMedia(file: MediaFile): { url: string; release: () => void } {
  const url = `/media/${normalizeCatalogName(file.catalog)}/${file.hash}/${nextId++}`;
  registered.set(url, file);
  return {
    url,
    release: () => {
      registered.delete(url);
      for (const transfer of streams.get(url) ?? []) transfer.cancel();
      streams.delete(url);
    },
  };
}

/** Answers the service worker's media requests; returns the stop function. */
export function startMediaBridge(container: ServiceWorkerContainer): () => void {
  const onMessage = (event: MessageEvent<unknown>) => {
    const data = event.data as Partial<MediaRequestMessage> | null;
    const port = event.ports[0];
    if (data?.type !== "natster-media-request" || typeof data.url !== "string" || !port) return;
    void serveMediaRequest({ type: data.type, url: data.url, range: data.range ?? null }, port);
  };
  container.addEventListener("message", onMessage);
  container.startMessages();
  return () => container.removeEventListener("message", onMessage);
}

const STATUS_OF_ERROR: Record<string, number> = {
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RANGE_NOT_SATISFIABLE: 416,
  CATALOG_OFFLINE: 503,
  TIMEOUT: 504,
};

async function serveMediaRequest(request: MediaRequestMessage, port: MessagePort): Promise<void> {
  const post = (message: PageToWorker, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  const path = new URL(request.url).pathname;
  if (answerDownloadRequest(path, port)) return;
  const file = registered.get(path);
  if (!file) return post({ type: "unknown" });

  const decision = decideRange(request.range, file.size);
  const head = () =>
    post({ type: "head", status: decision.status, headers: rangeHeaders(decision, file.size, file.mime) });
  const { offset, length } = transferSpan(decision);
  if (decision.status === 416 || length === 0) {
    head();
    return post({ type: "end" });
  }

  let pulls = 0;
  // eslint-disable-next-line prefer-const -- set once the transfer is open; pump and finish read it (undefined) before then
  let span: MediaSpan | undefined;
  let transfer: IncomingTransfer | undefined;
  let over = false;
  let pumping = false;
  const finish = () => {
    over = true;
    if (transfer) streams.get(path)?.delete(transfer);
    port.close();
  };
  // One chunk per pull: the element's appetite paces the transfer and, through its credit, the sender.
  const pump = async () => {
    if (pumping || !transfer) return;
    pumping = true;
    try {
      while (pulls > 0 && !over) {
        pulls--;
        const next = await transfer.next();
        if (over) return;
        if (next.done) {
          post({ type: "end" });
          return finish();
        }
        if (span) span.delivered += next.value.length;
        const bytes = ownBuffer(next.value);
        post({ type: "chunk", bytes }, [bytes]);
      }
    } catch (error) {
      if (!over) post({ type: "error", message: messageOf(error) });
      finish();
    } finally {
      pumping = false;
    }
  };
  port.onmessage = (event: MessageEvent<WorkerToPage>) => {
    if (event.data.type === "cancel") {
      transfer?.cancel();
      finish();
    } else {
      pulls++;
      void pump();
    }
  };

  try {
    transfer = await openTransfer({
      nc: file.nc,
      catalog: normalizeCatalogName(file.catalog),
      hash: file.hash,
      offset,
      length,
      chunkSize: STREAM_CHUNK_SIZE,
      window: STREAM_WINDOW,
    });
  } catch (error) {
    if (over) return;
    const status = STATUS_OF_ERROR[errorCodeOf(error) ?? ""] ?? 502;
    post({ type: "head", status, headers: [["Content-Type", "text/plain; charset=utf-8"]] });
    post({ type: "chunk", bytes: new TextEncoder().encode(messageOf(error)).buffer });
    post({ type: "end" });
    return finish();
  }
  if (over || !registered.has(path)) {
    transfer.cancel();
    return finish();
  }
  streams.set(path, (streams.get(path) ?? new Set()).add(transfer));
  span = { path, start: offset, delivered: 0 };
  spans.push(span);
  if (spans.length > MAX_SPANS) spans.shift();
  head();
  await pump();
}
