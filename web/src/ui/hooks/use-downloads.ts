import type { NatsConnection } from "@nats-io/nats-core";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { fileNameOf } from "../../catalog/tree.ts";
import { errorCodeOf, messageOf } from "../../nats/request.ts";
import type { CatalogEntry } from "@natster/protocol";
import type { DownloadResult, TransferProgress } from "@natster/transfer";
import { ensureMediaWorker } from "../../media/media-worker.ts";
import { downloadToDisk } from "../../transfer/disk-download.ts";
import { downloadVerifiedBlob } from "../../transfer/download.ts";

const PROGRESS_MS = 200;

export type DownloadItem = {
  id: number;
  catalog: string;
  entry: CatalogEntry;
  fileName: string;
  state: "running" | "done" | "failed" | "cancelled";
  received: number;
  total: number;
  bytesPerSecond: number;
  /** Object URL of the verified file, once done (only where no service worker streams it to disk). */
  url?: string;
  /** The browser saved it to disk as it arrived. */
  streamed?: boolean;
  /** Who hashed it: the catalog server as it sent it ("sender-sha256") or this page ("sha256"). */
  verified?: DownloadResult["verified"];
  error?: string;
};

export type Downloads = {
  items: DownloadItem[];
  start: (catalog: string, entry: CatalogEntry) => void;
  cancel: (id: number) => void;
  dismiss: (id: number) => void;
};

/** Downloads to disk through the service worker (or into the page without one): progress, cancel, SHA-256 verified. */
export function useDownloads(nc: NatsConnection, onSaved: (item: DownloadItem) => void): Downloads {
  const [items, setItems] = useState<DownloadItem[]>([]);
  const controllers = useRef(new Map<number, AbortController>());
  const urls = useRef(new Set<string>());
  const nextId = useRef(1);
  const update = (id: number, patch: Partial<DownloadItem>) =>
    setItems((all) => all.map((d) => (d.id === id ? { ...d, ...patch } : d)));

  const start = useCallback(
    (catalog: string, entry: CatalogEntry) => {
      const id = nextId.current++;
      const abort = new AbortController();
      controllers.current.set(id, abort);
      const item: DownloadItem = {
        id,
        catalog,
        entry,
        fileName: fileNameOf(entry),
        state: "running",
        received: 0,
        total: entry.byte_size,
        bytesPerSecond: 0,
      };
      setItems((all) => [...all, item]);
      // A progress row re-renders at most every PROGRESS_MS, not on every chunk.
      let shownAt = 0;
      const onProgress = (p: TransferProgress) => {
        const now = Date.now();
        if (now - shownAt < PROGRESS_MS) return;
        shownAt = now;
        update(id, { received: p.received, total: p.total, bytesPerSecond: p.bytesPerSecond });
      };
      const download = { nc, catalog, entry, signal: abort.signal, onProgress };
      // Streamed to disk through the service worker (flat memory); in memory only where there is none.
      ensureMediaWorker()
        .then(async (streams) => {
          if (streams) {
            const result = await downloadToDisk(download);
            update(id, { state: "done", streamed: true, received: result.total, verified: result.verified });
            return;
          }
          const { blob, verified } = await downloadVerifiedBlob(download);
          const url = URL.createObjectURL(blob);
          urls.current.add(url);
          update(id, { state: "done", url, received: blob.size, verified });
          onSaved({ ...item, state: "done", url });
        })
        .catch((error: unknown) => {
          const cancelled = errorCodeOf(error) === "TRANSFER_CANCELLED" || abort.signal.aborted;
          update(id, cancelled ? { state: "cancelled" } : { state: "failed", error: messageOf(error) });
        })
        .finally(() => controllers.current.delete(id));
    },
    [nc, onSaved],
  );

  const cancel = useCallback((id: number) => controllers.current.get(id)?.abort(), []);

  const dismiss = useCallback((id: number) => {
    setItems((all) => {
      const gone = all.find((d) => d.id === id);
      if (gone?.url) {
        URL.revokeObjectURL(gone.url);
        urls.current.delete(gone.url);
      }
      return all.filter((d) => d.id !== id);
    });
  }, []);

  useEffect(
    () => () => {
      for (const abort of controllers.current.values()) abort.abort();
      for (const url of urls.current) URL.revokeObjectURL(url);
    },
    [],
  );

  return { items, start, cancel, dismiss };
}

/** Offers a verified file to the browser's downloads, as a click on an `a[download]` would. */
export function saveToDisk(url: string, fileName: string): void {
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
}
