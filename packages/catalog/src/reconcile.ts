import { lstat } from "node:fs/promises";
import { applyBulk, changedEntries, type HashedFile } from "./edit.ts";
import { hashFile, mapConcurrently } from "./hash.ts";
import { DEFAULT_HASH_CONCURRENCY } from "./ingest.ts";
import { isStrictlyUnder, toEntryPath } from "./paths.ts";
import { isUnchanged } from "./rescan-plan.ts";
import type { CatalogChange } from "./serve-safety.ts";
import type { CatalogFile } from "./types.ts";
import { statServableFile, walkUnder, type FoundFile } from "./walk.ts";

/** "/a/b/c" → ["/a/b/c", "/a/b", "/a"]. */
const selfAndAncestors = (path: string): string[] => {
  const out: string[] = [];
  for (let p = path; p.length > 1; p = p.slice(0, p.lastIndexOf("/")) || "/") out.push(p);
  return out;
};

/** What is on disk now at the reported paths: files to (re)consider, paths gone, directories listed in full. */
async function survey(realRoot: string, absPaths: Iterable<string>) {
  const found: FoundFile[] = [];
  const gone = new Set<string>();
  const listedDirs = new Map<string, Set<string>>();
  for (const abs of new Set(absPaths)) {
    if (!isStrictlyUnder(realRoot, abs)) continue;
    const path = toEntryPath(realRoot, abs);
    const info = await lstat(abs).catch(() => undefined);
    if (info?.isDirectory()) {
      const files = await walkUnder(realRoot, abs).catch(() => []);
      listedDirs.set(path, new Set(files.map((f) => f.path)));
      found.push(...files);
      continue;
    }
    const file = info ? await statServableFile(realRoot, abs) : undefined;
    if (file) found.push(file);
    else gone.add(path);
  }
  return { found, gone, listedDirs };
}

/**
 * Brings the entries at the given absolute paths (files or directories under `realRoot`, as a
 * watcher reports them) in line with the disk: gone → removed (with everything under them), new →
 * added, changed → re-hashed under the same path (never duplicated). Mutates `catalog` in memory only.
 */
export async function reconcilePaths(
  catalog: CatalogFile,
  realRoot: string,
  absPaths: Iterable<string>,
): Promise<CatalogChange> {
  const { found, gone, listedDirs } = await survey(realRoot, absPaths);
  const byPath = new Map(catalog.entries.map((e) => [e.path, e]));
  const changed = found.filter((file) => {
    const entry = byPath.get(file.path);
    return !(entry && entry.byte_size === file.size && isUnchanged(catalog.x_index[file.path], file));
  });
  const hashes = await mapConcurrently(changed, DEFAULT_HASH_CONCURRENCY, (file) =>
    hashFile(file.abs).catch(() => undefined),
  );
  const hashed: HashedFile[] = [];
  changed.forEach((file, i) => {
    const hash = hashes[i];
    if (hash === undefined) gone.add(file.path);
    else hashed.push({ file, hash });
  });
  const present = new Set(found.map((f) => f.path).filter((p) => !gone.has(p)));
  const isGone = (path: string) =>
    !present.has(path) && selfAndAncestors(path).some((p) => gone.has(p) || listedDirs.get(p)?.has(path) === false);
  const result = applyBulk(catalog, isGone, hashed);
  return changedEntries(result) ? "entries" : hashed.length > 0 ? "index" : "none";
}
