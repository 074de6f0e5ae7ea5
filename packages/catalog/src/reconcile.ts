import { lstat } from "node:fs/promises";
import { removeEntries, upsertEntry, findByPath } from "./edit.ts";
import { hashFile } from "./hash.ts";
import { isStrictlyUnder, toEntryPath } from "./paths.ts";
import { isUnchanged } from "./rescan-plan.ts";
import type { CatalogChange } from "./serve-safety.ts";
import type { CatalogFile } from "./types.ts";
import { statServableFile, walkUnder, type FoundFile } from "./walk.ts";

/**
 * Brings the entries at the given absolute paths (files or directories under `realRoot`, as a
 * watcher reports them) in line with the disk: gone → removed, new → added, changed → re-hashed
 * under the same path (never duplicated). Mutates `catalog` in memory only.
 */
export async function reconcilePaths(catalog: CatalogFile, realRoot: string, absPaths: Iterable<string>): Promise<CatalogChange> {
  let change: CatalogChange = "none";
  const note = (c: CatalogChange) => {
    if (c === "entries" || (c === "index" && change === "none")) change = c;
  };
  for (const abs of absPaths) {
    if (!isStrictlyUnder(realRoot, abs)) continue;
    const path = toEntryPath(realRoot, abs);
    const info = await lstat(abs).catch(() => undefined);
    if (info?.isDirectory()) {
      const found = await walkUnder(realRoot, abs).catch(() => []);
      const present = new Set(found.map((f) => f.path));
      for (const e of catalog.entries.filter((e) => (e.path === path || e.path.startsWith(`${path}/`)) && !present.has(e.path))) {
        if (removeEntries(catalog, e.path) > 0) note("entries");
      }
      for (const file of found) note(await reconcileFile(catalog, file));
      continue;
    }
    const file = info ? await statServableFile(realRoot, abs) : undefined;
    if (file) note(await reconcileFile(catalog, file));
    else if (removeEntries(catalog, path) > 0) note("entries");
  }
  return change;
}

async function reconcileFile(catalog: CatalogFile, file: FoundFile): Promise<CatalogChange> {
  const entry = findByPath(catalog, file.path);
  if (entry && entry.byte_size === file.size && isUnchanged(catalog.x_index[file.path], file)) return "none";
  const hash = await hashFile(file.abs).catch(() => undefined);
  if (hash === undefined) return removeEntries(catalog, file.path) > 0 ? "entries" : "none";
  return upsertEntry(catalog, file, hash) ? "entries" : "index";
}
