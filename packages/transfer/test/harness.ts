/** Test-only helpers for the transfer integration tests: a minimal catalog server, sinks and sources. */
import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import { downloadSubject, NatsterError } from "@natster/protocol";
import {
  decodeDownloadRequest,
  respondError,
  serveDownload,
  type SenderConnection,
  type SenderOptions,
  type SenderTransfer,
} from "../src/index.ts";
import type { TransferSink, TransferSource } from "../src/types.ts";

/** An unbounded FIFO whose `next()` waits a bounded time and says what it was waiting for. */
export class Channel<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((item: T) => void)[] = [];

  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  }

  next(timeoutMs: number, what: string): Promise<T> {
    const ready = this.items.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
        timeoutMs,
      );
      this.waiters.push((item) => {
        clearTimeout(timer);
        resolve(item);
      });
    });
  }
}

export type ServedFile = { hash: string; mime_type: string; open(): Promise<TransferSource> };

export type CatalogServer = {
  /** Every transfer the server started, in order. */
  transfers: Channel<SenderTransfer>;
  stop(): Promise<void>;
};

/**
 * What the catalog server does for downloads: remote requests on `*.natster.catalog.<cat>.download`
 * (the requester in token 1) and same-account ones on `natster.catalog.<cat>.download`.
 * `link` lets a test put something between the sender and NATS (e.g. a tampering link).
 */
export type ServeCatalogOptions = {
  files: ReadonlyMap<string, ServedFile>;
  sender?: SenderOptions;
  /** Stands in for the share check (upstream §5.3); everyone is allowed by default. */
  authorize?: (requester: string | undefined) => boolean;
  link?: SenderConnection;
};

export function serveCatalog(
  nc: NatsConnection,
  catalog: string,
  { files, sender: options = {}, authorize, link = nc }: ServeCatalogOptions,
): CatalogServer {
  const transfers = new Channel<SenderTransfer>();
  const started: SenderTransfer[] = [];
  const handle = async (msg: Msg, requester: string | undefined) => {
    try {
      const file = files.get(decodeDownloadRequest(msg.data).hash);
      if (authorize && !authorize(requester)) throw new NatsterError("FORBIDDEN", "Forbidden");
      if (!file) throw new NatsterError("NOT_FOUND", "Requested File Not Found");
      const transfer = serveDownload({ nc: link, msg, requester, catalog, source: await file.open(), file, options });
      started.push(transfer);
      transfers.push(transfer);
    } catch (error) {
      respondError(msg, error);
    }
  };
  const subs: Subscription[] = [
    nc.subscribe(`*.${downloadSubject(catalog)}`, {
      queue: "natstercatalog",
      callback: (_e, msg) => void handle(msg, msg.subject.split(".", 1)[0]),
    }),
    nc.subscribe(downloadSubject(catalog), {
      queue: "natstercatalog",
      callback: (_e, msg) => void handle(msg, undefined),
    }),
  ];
  return {
    transfers,
    async stop() {
      for (const sub of subs) if (!sub.isClosed()) sub.unsubscribe();
      for (const transfer of started) transfer.stop();
      await Promise.all(started.map((t) => t.done));
    },
  };
}

/** Collects a download in memory. */
export function memorySink(): TransferSink & { bytes(): Uint8Array } {
  const chunks: Uint8Array[] = [];
  return {
    write: (chunk) => {
      chunks.push(chunk);
      return Promise.resolve();
    },
    bytes: () => {
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      return out;
    },
  };
}

/**
 * A deterministic file of any size that never touches the disk. The high 32 bits of the position
 * feed every byte, so an offset that wrapped at 4 GiB would read different bytes.
 */
export const syntheticByte = (position: number): number =>
  position % 251 ^ ((Math.floor(position / 2 ** 32) * 37) & 0xff);

export function syntheticSource(size: number, onRead?: (offset: number, length: number) => void): TransferSource {
  return {
    size,
    read(offset, length) {
      onRead?.(offset, length);
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = syntheticByte(offset + i);
      return Promise.resolve(out);
    },
  };
}
