import { NatsterError } from "@natster/protocol";
import { mimeTypeFor } from "./mime.ts";
import { DEFAULT_ENTRY_DESCRIPTION, type CatalogEntry, type CatalogFile, type FileStat } from "./types.ts";

export const findByHash = (catalog: CatalogFile, hash: string): CatalogEntry | undefined =>
  catalog.entries.find((e) => e.hash === hash);

export const findByPath = (catalog: CatalogFile, path: string): CatalogEntry | undefined =>
  catalog.entries.find((e) => e.path === path);

/** The entry for `file` with content `hash`, keeping what the user set on the entry it replaces. */
const entryFor = (old: CatalogEntry | undefined, file: FileStat, hash: string): CatalogEntry => ({
  path: file.path,
  description: old?.description ?? DEFAULT_ENTRY_DESCRIPTION,
  mime_type: old?.mime_type || mimeTypeFor(file.path),
  byte_size: file.size,
  hash,
});

export type HashedFile = { file: FileStat; hash: string };
export type BulkResult = { added: number; updated: number; removed: number; collapsed: number };

export const changedEntries = (r: BulkResult): boolean => r.added + r.updated + r.removed + r.collapsed > 0;

/**
 * Removes every entry whose path `isGone`, then records each hashed file under its path (a new
 * hash replaces the old entry, keeping its description; nothing is ever duplicated, and
 * duplicate paths collapse to their first entry). One pass, so scans of huge catalogs stay linear.
 */
export function applyBulk(
  catalog: CatalogFile,
  isGone: (path: string) => boolean,
  hashed: readonly HashedFile[],
): BulkResult {
  const result: BulkResult = { added: 0, updated: 0, removed: 0, collapsed: 0 };
  const at = new Map<string, number>();
  const kept: CatalogEntry[] = [];
  for (const entry of catalog.entries) {
    if (at.has(entry.path)) result.collapsed++;
    else if (isGone(entry.path)) {
      result.removed++;
      delete catalog.x_index[entry.path];
    } else at.set(entry.path, kept.push(entry) - 1);
  }
  for (const { file, hash } of hashed) {
    catalog.x_index[file.path] = { size: file.size, mtime_ms: file.mtime_ms };
    const i = at.get(file.path);
    const old = i === undefined ? undefined : kept[i];
    if (old && old.hash === hash && old.byte_size === file.size) continue;
    const entry = entryFor(old, file, hash);
    if (i === undefined) {
      at.set(file.path, kept.push(entry) - 1);
      result.added++;
    } else {
      kept[i] = entry;
      result.updated++;
    }
  }
  catalog.entries = kept;
  return result;
}

/** Records one file with content `hash` (one linear scan, no index built); returns whether anything visible changed. */
export function upsertEntry(catalog: CatalogFile, file: FileStat, hash: string): boolean {
  catalog.x_index[file.path] = { size: file.size, mtime_ms: file.mtime_ms };
  const positions: number[] = [];
  catalog.entries.forEach((e, i) => e.path === file.path && positions.push(i));
  const [first, ...duplicates] = positions;
  const old = first === undefined ? undefined : catalog.entries[first];
  if (old && duplicates.length === 0 && old.hash === hash && old.byte_size === file.size) return false;
  const entry = entryFor(old, file, hash);
  if (first === undefined) catalog.entries.push(entry);
  else catalog.entries[first] = entry;
  if (duplicates.length > 0) {
    const drop = new Set(duplicates);
    catalog.entries = catalog.entries.filter((_, i) => !drop.has(i));
  }
  return true;
}

/** Whether `path` is `root` itself or lies under it (a removed directory takes its files along). */
export const isSelfOrUnder = (root: string, path: string): boolean =>
  path === root || path.startsWith(root.endsWith("/") ? root : `${root}/`);

/** Removes the entry at `path` and every entry under `path/`. Returns how many went. */
export function removeEntries(catalog: CatalogFile, path: string): number {
  const before = catalog.entries.length;
  catalog.entries = catalog.entries.filter((e) => {
    const gone = isSelfOrUnder(path, e.path);
    if (gone) delete catalog.x_index[e.path];
    return !gone;
  });
  return before - catalog.entries.length;
}

/** Sets the description of every entry with this hash (upstream: "no such file" when none). */
export function describeEntry(catalog: CatalogFile, hash: string, description: string): CatalogEntry {
  const matches = catalog.entries.filter((e) => e.hash === hash);
  if (matches.length === 0) throw new NatsterError("NOT_FOUND", `no such file: ${hash}`);
  for (const e of matches) e.description = description;
  return matches[0] as CatalogEntry;
}
