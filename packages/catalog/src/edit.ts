import { NatsterError } from "@natster/protocol";
import { mimeTypeFor } from "./mime.ts";
import { DEFAULT_ENTRY_DESCRIPTION, type CatalogEntry, type CatalogFile, type FileStat } from "./types.ts";

export const findByHash = (catalog: CatalogFile, hash: string): CatalogEntry | undefined =>
  catalog.entries.find((e) => e.hash === hash);

export const findByPath = (catalog: CatalogFile, path: string): CatalogEntry | undefined =>
  catalog.entries.find((e) => e.path === path);

/**
 * Records `file` with content `hash`: replaces the entry at that path (keeping its description;
 * duplicates collapse) or appends a new one. Returns whether anything visible changed.
 */
export function upsertEntry(catalog: CatalogFile, file: FileStat, hash: string): boolean {
  catalog.x_index[file.path] = { size: file.size, mtime_ms: file.mtime_ms };
  const existing = catalog.entries.filter((e) => e.path === file.path);
  const first = existing[0];
  if (first && existing.length === 1 && first.hash === hash && first.byte_size === file.size) return false;
  const entry: CatalogEntry = {
    path: file.path,
    description: first?.description ?? DEFAULT_ENTRY_DESCRIPTION,
    mime_type: first?.mime_type || mimeTypeFor(file.path),
    byte_size: file.size,
    hash,
  };
  const at = first ? catalog.entries.indexOf(first) : -1;
  catalog.entries = catalog.entries.filter((e) => e.path !== file.path);
  if (at >= 0) catalog.entries.splice(at, 0, entry);
  else catalog.entries.push(entry);
  return true;
}

/** Removes the entry at `path` and every entry under `path/` (a removed directory). Returns how many went. */
export function removeEntries(catalog: CatalogFile, path: string): number {
  const gone = (p: string) => p === path || p.startsWith(path.endsWith("/") ? path : `${path}/`);
  const before = catalog.entries.length;
  catalog.entries = catalog.entries.filter((e) => !gone(e.path));
  for (const p of Object.keys(catalog.x_index)) if (gone(p)) delete catalog.x_index[p];
  return before - catalog.entries.length;
}

/** Sets the description of every entry with this hash (upstream: "no such file" when none). */
export function describeEntry(catalog: CatalogFile, hash: string, description: string): CatalogEntry {
  const matches = catalog.entries.filter((e) => e.hash === hash);
  if (matches.length === 0) throw new NatsterError("NOT_FOUND", `no such file: ${hash}`);
  for (const e of matches) e.description = description;
  return matches[0] as CatalogEntry;
}
