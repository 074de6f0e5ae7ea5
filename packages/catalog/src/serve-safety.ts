import { NatsterError, type ErrorCode } from "@natster/protocol";
import { realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { removeEntries, upsertEntry } from "./edit.ts";
import { hashFile } from "./hash.ts";
import { isCanonicalEntryPath, isStrictlyUnder } from "./paths.ts";
import { isUnchanged } from "./rescan-plan.ts";
import type { CatalogEntry, CatalogFile } from "./types.ts";

/**
 * The real path to read `entry` from: only a regular file strictly under the real root.
 * Traversal and symlinks leading outside the root throw PATH_OUTSIDE_ROOT; a missing or
 * non-regular file throws NOT_FOUND.
 */
export async function resolveEntryPath(catalog: CatalogFile, entry: CatalogEntry): Promise<string> {
  if (!isCanonicalEntryPath(entry.path))
    throw new NatsterError("PATH_OUTSIDE_ROOT", `refusing entry path ${JSON.stringify(entry.path)}`);
  const realRoot = await realpath(catalog.root_dir).catch(() => {
    throw new NatsterError("NOT_FOUND", `catalog root ${catalog.root_dir} is gone`);
  });
  const real = await realpath(join(realRoot, ...entry.path.slice(1).split("/"))).catch(() => {
    throw new NatsterError("NOT_FOUND", `${entry.path} is gone`);
  });
  if (!isStrictlyUnder(realRoot, real))
    throw new NatsterError("PATH_OUTSIDE_ROOT", `${entry.path} leads outside the catalog root`);
  const info = await stat(real);
  if (!info.isFile()) throw new NatsterError("NOT_FOUND", `${entry.path} is not a regular file`);
  return real;
}

export type ServableFile = { realPath: string; size: number; mtime_ms: number };

/** What a check did to the catalog in memory: "entries" → save with a new revision and announce it; "index" → save quietly. */
export type CatalogChange = "none" | "index" | "entries";

export type ServableCheck =
  | { ok: true; file: ServableFile; change: CatalogChange }
  | { ok: false; code: ErrorCode; message: string; change: CatalogChange };

/**
 * Checks that `entry` may be served under its hash right now. A file whose size or mtime differ
 * from the index is re-hashed first; content that no longer matches is never served under the
 * old hash: the entry moves to the new hash (CONTENT_CHANGED). A gone or escaping file is
 * dropped from the catalog. Mutates `catalog` in memory only.
 */
export async function verifyServable(catalog: CatalogFile, entry: CatalogEntry): Promise<ServableCheck> {
  try {
    const realPath = await resolveEntryPath(catalog, entry);
    const info = await stat(realPath);
    const file = { path: entry.path, size: info.size, mtime_ms: info.mtimeMs };
    const servable = { realPath, size: info.size, mtime_ms: info.mtimeMs };
    if (entry.byte_size === info.size && isUnchanged(catalog.x_index[entry.path], file))
      return { ok: true, file: servable, change: "none" };
    const hash = await hashFile(realPath);
    const entriesChanged = upsertEntry(catalog, file, hash);
    if (hash === entry.hash) return { ok: true, file: servable, change: entriesChanged ? "entries" : "index" };
    return {
      ok: false,
      code: "CONTENT_CHANGED",
      message: `${entry.path} changed since it was catalogued; it is now ${hash}`,
      change: "entries",
    };
  } catch (e) {
    const refused = e instanceof NatsterError ? e : new NatsterError("NOT_FOUND", `${entry.path} cannot be read`);
    return {
      ok: false,
      code: refused.code,
      message: refused.message,
      change: removeEntries(catalog, entry.path) > 0 ? "entries" : "none",
    };
  }
}
