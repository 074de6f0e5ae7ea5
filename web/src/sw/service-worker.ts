/**
 * The media service worker: answers `/media/...` requests of <video>/<audio> elements with
 * 206 range responses whose bytes come, decrypted, from the page that registered the media
 * (see messages.ts), and `/download/...` navigations of the page's hidden frames with an
 * attachment whose body the page streams, so the browser saves it to disk as it arrives
 * (web/src/transfer/disk-download.ts). It holds no keys and no data; everything else goes to the network.
 */
import type { MediaRequestMessage, PageToWorker, WorkerToPage } from "./messages.ts";

// The page bundle's DOM typings have no service-worker scope, so the few members used are declared here.
type WindowClientLike = { id: string; postMessage(message: MediaRequestMessage, transfer: Transferable[]): void };
type FetchEventLike = Event & { request: Request; clientId: string; respondWith(response: Promise<Response>): void };
type ExtendableEventLike = Event & { waitUntil(work: Promise<unknown>): void };
type WorkerScope = {
  location: Location;
  clients: {
    get(id: string): Promise<WindowClientLike | undefined>;
    matchAll(o: { type: "window" }): Promise<WindowClientLike[]>;
    claim(): Promise<void>;
  };
  skipWaiting(): Promise<void>;
  addEventListener(type: "install" | "activate", listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: "fetch", listener: (event: FetchEventLike) => void): void;
};

const worker = globalThis as unknown as WorkerScope;
const MEDIA_PREFIX = "/media/";
/** Downloads the page streams to disk (web/src/transfer/disk-download.ts). */
const DOWNLOAD_PREFIX = "/download/";
const PAGE_ANSWER_TIMEOUT_MS = 15_000;

worker.addEventListener("install", (event) => event.waitUntil(worker.skipWaiting()));
worker.addEventListener("activate", (event) => event.waitUntil(worker.clients.claim()));

worker.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (
    url.origin !== worker.location.origin ||
    !(url.pathname.startsWith(MEDIA_PREFIX) || url.pathname.startsWith(DOWNLOAD_PREFIX))
  )
    return;
  // A download may run a few chunks ahead of the disk; media stays one chunk ahead of the element.
  event.respondWith(answerFromPages(event, url.pathname.startsWith(DOWNLOAD_PREFIX) ? 4 : 1));
});

/** The requesting page first; if it does not hold this media, any other window of ours. */
async function answerFromPages(event: FetchEventLike, chunksAhead: number): Promise<Response> {
  const own = event.clientId ? await worker.clients.get(event.clientId) : undefined;
  const others = (await worker.clients.matchAll({ type: "window" })).filter((c) => c.id !== own?.id);
  for (const client of own ? [own, ...others] : others) {
    const response = await askPage(client, event.request, chunksAhead);
    if (response) return response;
  }
  return new Response("This media is not open in any Natster page (reload the page and press Play again).", {
    status: 404,
  });
}

/** Undefined when the page does not hold this media (or never answers). */
function askPage(client: WindowClientLike, request: Request, chunksAhead: number): Promise<Response | undefined> {
  const channel = new MessageChannel();
  const port = channel.port1;
  const send = (message: WorkerToPage) => port.postMessage(message);
  let settlePull: (() => void) | undefined;
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let finished = false;
  const finish = () => {
    finished = true;
    settlePull?.();
    port.close();
  };

  const body = new ReadableStream<Uint8Array>(
    {
      start: (c) => {
        controller = c;
      },
      pull: () =>
        finished
          ? undefined
          : new Promise<void>((resolve) => {
              settlePull = resolve;
              send({ type: "pull" });
            }),
      cancel: () => {
        if (!finished) send({ type: "cancel" });
        finish();
      },
    },
    { highWaterMark: chunksAhead },
  );

  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      finish();
      resolve(undefined);
    }, PAGE_ANSWER_TIMEOUT_MS);
    port.onmessage = (event: MessageEvent<PageToWorker>) => {
      const message = event.data;
      switch (message.type) {
        case "unknown":
          clearTimeout(timer);
          finish();
          resolve(undefined);
          return;
        case "head":
          clearTimeout(timer);
          resolve(new Response(body, { status: message.status, headers: message.headers }));
          return;
        case "chunk":
          controller?.enqueue(new Uint8Array(message.bytes));
          break;
        case "end":
          controller?.close();
          finish();
          break;
        case "error":
          controller?.error(new Error(message.message));
          finish();
          break;
      }
      settlePull?.();
      settlePull = undefined;
    };
    client.postMessage({ type: "natster-media-request", url: request.url, range: request.headers.get("range") }, [
      channel.port2,
    ]);
  });
}
