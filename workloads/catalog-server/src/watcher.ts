import { watch, type FSWatcher } from "chokidar";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { catalogFilePath, reconcilePaths } from "@natster/catalog";
import type { CatalogState } from "./catalog-state.ts";

export type WatcherOptions = {
  /** Quiet time before a burst of events is applied. */
  debounceMs?: number;
  /** A new or changed file counts once its size has been stable this long (awaitWriteFinish). */
  stabilityMs?: number;
};

export type CatalogWatcher = { ready: Promise<void>; close(): Promise<void> };

export type CatalogWatcherEvents = {
  /** The catalog file is gone from NATSTER_HOME (`natster catalog rm`); a save, which renames over it, is not. */
  removed?: () => void;
};

const isEditorSwapFile = (path: string) => path.endsWith("swp") || path.endsWith("swx");

/**
 * Keeps the catalog true to its root (upstream bug 6): added files are hashed in, removed or
 * renamed ones go, changed ones are re-hashed under the same path. Also adopts edits others make
 * to the catalog file (e.g. `catalog describe`), and says when the file is removed. Bursts are
 * debounced into one save and heartbeat.
 */
export function watchCatalog(
  state: CatalogState,
  log: (line: string) => void,
  opts: WatcherOptions = {},
  events: CatalogWatcherEvents = {},
): CatalogWatcher {
  const ownFile = catalogFilePath(state.home, state.current.name);
  const dirty = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const flush = () => {
    timer = undefined;
    const paths = [...dirty];
    dirty.clear();
    state
      .mutate(async (catalog) => ({ change: await reconcilePaths(catalog, state.realRoot, paths) }))
      .then(({ change }) => {
        if (change === "entries")
          log(`catalog updated from ${paths.length} file event(s): revision ${state.current.last_modified}`);
      })
      .catch((e: unknown) => log(`watcher update failed: ${(e as Error).message}`));
  };
  const markDirty = (path: string) => {
    if (closed || isEditorSwapFile(path) || path.startsWith(ownFile)) return;
    dirty.add(path);
    clearTimeout(timer);
    timer = setTimeout(flush, opts.debounceMs ?? 250);
  };

  const root = watch(state.realRoot, {
    ignoreInitial: true,
    followSymlinks: false,
    awaitWriteFinish: { stabilityThreshold: opts.stabilityMs ?? 500, pollInterval: 50 },
  });
  for (const event of ["add", "change", "unlink", "addDir", "unlinkDir"] as const) root.on(event, markDirty);
  root.on("error", (e) => log(`watcher error: ${String(e)}`));

  const own = watch(ownFile, { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 25 } });
  const adopt = () => {
    readFile(ownFile, "utf8")
      .then((text) => state.adoptFromDisk(text, ownFile))
      .then((adopted) => adopted && log(`catalog file edited on disk: revision ${state.current.last_modified}`))
      .catch((e: unknown) => log(`ignoring catalog file edit: ${(e as Error).message}`));
  };
  own.on("add", adopt).on("change", adopt);
  own.on("unlink", () => {
    if (!closed && !existsSync(ownFile)) events.removed?.();
  });
  own.on("error", (e) => log(`watcher error: ${String(e)}`));

  return {
    ready: Promise.all([readyOf(root), readyOf(own)]).then(() => undefined),
    async close() {
      closed = true;
      clearTimeout(timer);
      await Promise.allSettled([root.close(), own.close()]);
    },
  };
}

const readyOf = (w: FSWatcher) => new Promise<void>((resolve) => w.once("ready", () => resolve()));
