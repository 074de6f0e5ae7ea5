import type { CatalogEntry, FileStat, IndexRecord } from "./types.ts";

/** What an incremental rescan must do; every path appears in exactly one list. */
export type RescanPlan<F extends FileStat = FileStat> = {
  /** Unchanged size and mtime: the entry (and its hash) stays. */
  keep: string[];
  /** Known path whose size or mtime changed, or that has no index record: hash again. */
  rehash: F[];
  /** Files not in the catalog yet. */
  add: F[];
  /** Entries whose file is gone. */
  remove: string[];
};

/**
 * Decides a rescan from the old catalog and what is on disk now. Pure. Duplicate entries for a
 * path (upstream's watcher created them) collapse into one decision for that path.
 */
export function planRescan<F extends FileStat>(
  entries: readonly CatalogEntry[],
  index: Readonly<Record<string, IndexRecord>>,
  found: readonly F[],
): RescanPlan<F> {
  const known = new Set(entries.map((e) => e.path));
  const onDisk = new Map(found.map((f) => [f.path, f]));
  const plan: RescanPlan<F> = { keep: [], rehash: [], add: [], remove: [] };
  for (const path of known) {
    const file = onDisk.get(path);
    if (!file) plan.remove.push(path);
    else if (isUnchanged(index[path], file)) plan.keep.push(path);
    else plan.rehash.push(file);
  }
  for (const file of onDisk.values()) if (!known.has(file.path)) plan.add.push(file);
  return plan;
}

export const isUnchanged = (record: IndexRecord | undefined, file: FileStat): boolean =>
  record !== undefined && record.size === file.size && record.mtime_ms === file.mtime_ms;
