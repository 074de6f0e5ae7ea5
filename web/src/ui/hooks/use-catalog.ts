import type { NatsConnection } from "@nats-io/nats-core";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { loadCatalog, type LoadedCatalog } from "../../catalog/load-catalog.ts";
import { errorCodeOf, messageOf } from "../../nats/request.ts";

export type CatalogLoad =
  /** `loaded` is the first page (or the previous version) while the rest arrives; `progress` counts entries. */
  | { state: "loading"; loaded?: LoadedCatalog; progress?: { entries: number; total: number } }
  | { state: "ready"; loaded: LoadedCatalog }
  | { state: "failed"; code: string | undefined; message: string; loaded?: LoadedCatalog };

/** Progress redraws at most this often; the tree is rebuilt only for the first page and at the end. */
const PROGRESS_EVERY_MS = 250;

/**
 * Loads a catalog through every `get` page; loads again when its revision changes (new content)
 * and when it comes back online after failing.
 */
export function useCatalog(
  nc: NatsConnection,
  catalog: string,
  revision: number,
  online: boolean,
): { load: CatalogLoad; reload: () => void } {
  const [load, setLoad] = useState<CatalogLoad>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);
  const last = useRef<LoadedCatalog | undefined>(undefined);

  useEffect(() => {
    last.current = undefined;
  }, [catalog]);

  useEffect(() => {
    const abort = new AbortController();
    let shownAt = 0;
    setLoad({ state: "loading", ...(last.current ? { loaded: last.current } : {}) });
    loadCatalog({
      nc,
      catalog,
      signal: abort.signal,
      onPage: (loaded) => {
        if (abort.signal.aborted || Date.now() - shownAt < PROGRESS_EVERY_MS) return;
        const progress = { entries: loaded.entries.length, total: loaded.total };
        const shown = shownAt === 0 && !last.current ? { ...loaded, entries: [...loaded.entries] } : last.current;
        shownAt = Date.now();
        setLoad((current) => ({
          state: "loading",
          progress,
          ...(shown ? { loaded: shown } : current.loaded ? { loaded: current.loaded } : {}),
        }));
      },
    })
      .then((loaded) => {
        if (abort.signal.aborted) return;
        last.current = loaded;
        setLoad({ state: "ready", loaded });
      })
      .catch((error: unknown) => {
        if (abort.signal.aborted) return;
        setLoad({
          state: "failed",
          code: errorCodeOf(error),
          message: messageOf(error),
          ...(last.current ? { loaded: last.current } : {}),
        });
      });
    return () => abort.abort();
  }, [nc, catalog, revision, attempt]);

  // Offline when it failed: try again as soon as the catalog heart-beats again.
  const failed = load.state === "failed";
  useEffect(() => {
    if (online && failed) setAttempt((n) => n + 1);
  }, [online]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { load, reload };
}
