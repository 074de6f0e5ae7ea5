import { NatsterError } from "@natster/protocol";
import { access, realpath, stat } from "node:fs/promises";
import { applyBulk, changedEntries, type HashedFile } from "./edit.ts";
import { hashFile, mapConcurrently } from "./hash.ts";
import { progressTracker } from "./progress.ts";
import { planRescan } from "./rescan-plan.ts";
import { catalogFilePath, catalogNameOf, loadCatalog, saveCatalog } from "./store.ts";
import type { CatalogFile, ProgressCallback } from "./types.ts";
import { walkRoot, type FoundFile } from "./walk.ts";

export const DEFAULT_HASH_CONCURRENCY = 4;

export type ScanOptions = { onProgress?: ProgressCallback; concurrency?: number };
export type RescanSummary = { kept: number; updated: number; added: number; removed: number; changed: boolean };

export type CreateCatalogOptions = ScanOptions & {
  home: string;
  name: string;
  rootDir: string;
  description?: string;
  image?: string;
  /** Replace an existing catalog of that name (default: refuse with CATALOG_EXISTS). */
  overwrite?: boolean;
};

/** `catalog new`: walks and hashes the root, then saves `<home>/<name>.json` once. */
export async function createCatalog(opts: CreateCatalogOptions): Promise<CatalogFile> {
  const name = catalogNameOf(opts.name);
  if (!opts.overwrite && (await exists(catalogFilePath(opts.home, name)))) {
    throw new NatsterError("CATALOG_EXISTS", `catalog '${name}' already exists in ${opts.home}`);
  }
  const catalog: CatalogFile = {
    name,
    root_dir: await realDirectory(opts.rootDir),
    description: opts.description ?? "",
    ...(opts.image ? { image: opts.image } : {}),
    last_modified: 0,
    entries: [],
    x_index: {},
  };
  await refreshCatalog(catalog, opts);
  await saveCatalog(opts.home, catalog);
  return catalog;
}

/** Incremental rescan of a saved catalog; saves once, bumping the revision only if entries changed. */
export async function rescanCatalog(
  home: string,
  name: string,
  opts: ScanOptions = {},
): Promise<{ catalog: CatalogFile; summary: RescanSummary }> {
  const catalog = await loadCatalog(home, name);
  const summary = await refreshCatalog(catalog, opts);
  await saveCatalog(home, catalog, { bumpRevision: summary.changed });
  return { catalog, summary };
}

/** Brings `catalog` in line with its root, in memory: keeps unchanged files, re-hashes changed ones, adds new, drops gone. */
export async function refreshCatalog(catalog: CatalogFile, opts: ScanOptions = {}): Promise<RescanSummary> {
  const plan = planRescan(catalog.entries, catalog.x_index, await walkRoot(catalog.root_dir));
  const toHash = [...plan.rehash, ...plan.add];
  const hashes = await hashAll(toHash, opts);
  const gone = new Set(plan.remove);
  const hashed: HashedFile[] = [];
  toHash.forEach((file, i) => {
    const hash = hashes[i];
    if (hash === undefined) gone.add(file.path);
    else hashed.push({ file, hash });
  });
  const result = applyBulk(catalog, (path) => gone.has(path), hashed);
  return {
    kept: plan.keep.length,
    updated: result.updated,
    added: result.added,
    removed: result.removed,
    changed: changedEntries(result),
  };
}

/** Hashes with bounded concurrency; a file that cannot be read yields undefined (it is skipped, as upstream). */
async function hashAll(files: readonly FoundFile[], opts: ScanOptions): Promise<(string | undefined)[]> {
  const progress = progressTracker(files, opts.onProgress);
  progress.start();
  return mapConcurrently(files, opts.concurrency ?? DEFAULT_HASH_CONCURRENCY, async (file) => {
    let counted = 0;
    const hash = await hashFile(file.abs, (n) => {
      counted += n;
      progress.bytes(n);
    }).catch(() => undefined);
    progress.fileDone(file, counted);
    return hash;
  });
}

async function realDirectory(dir: string): Promise<string> {
  const real = await realpath(dir).catch(() => {
    throw new NatsterError("NOT_FOUND", `directory ${dir} does not exist`);
  });
  if (!(await stat(real)).isDirectory()) throw new NatsterError("BAD_REQUEST", `${dir} is not a directory`);
  return real;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );
