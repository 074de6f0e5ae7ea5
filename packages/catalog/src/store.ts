import { CATALOG_NAME, NatsterError, normalizeCatalogName } from "@natster/protocol";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { CatalogFile } from "./types.ts";
import { parseCatalogFile } from "./validate.ts";

/** `NATSTER_HOME`, else `~/.natster` (upstream's place). */
export const defaultNatsterHome = (env: Record<string, string | undefined> = process.env): string =>
  env.NATSTER_HOME ?? join(homedir(), ".natster");

/** Validates and lower-cases a catalog name (upstream bug 17: names are case-insensitive everywhere). */
export function catalogNameOf(name: string): string {
  if (!CATALOG_NAME.test(name))
    throw new NatsterError("BAD_CATALOG_NAME", `invalid catalog name '${name}': use 1-64 letters and digits`);
  return normalizeCatalogName(name);
}

export const catalogFilePath = (home: string, name: string): string => join(home, `${catalogNameOf(name)}.json`);

export async function loadCatalog(home: string, name: string): Promise<CatalogFile> {
  const path = catalogFilePath(home, name);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      throw new NatsterError("NOT_FOUND", `no catalog '${catalogNameOf(name)}' in ${home}`);
    throw e;
  }
  return parseCatalogFile(text, path);
}

/** The file's text exactly as `saveCatalog` writes it (the server compares it to spot its own writes). */
export const serializeCatalog = (catalog: CatalogFile): string => JSON.stringify(catalog, null, 2) + "\n";

/**
 * Writes the catalog atomically (temp file + rename). With `bumpRevision` (the default),
 * `last_modified` becomes now in unix seconds, and always moves forward so every change is a new revision.
 */
export async function saveCatalog(home: string, catalog: CatalogFile, { bumpRevision = true } = {}): Promise<string> {
  if (bumpRevision) catalog.last_modified = Math.max(Math.floor(Date.now() / 1000), catalog.last_modified + 1);
  await mkdir(home, { recursive: true, mode: 0o750 });
  const path = catalogFilePath(home, catalog.name);
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const text = serializeCatalog(catalog);
  await writeFile(tmp, text, { mode: 0o660 });
  await rename(tmp, path);
  return text;
}

/** Load, change, save (new revision): how a CLI edits a catalog, e.g. `editCatalog(home, n, (c) => describeEntry(c, hash, text))`. */
export async function editCatalog<T>(
  home: string,
  name: string,
  edit: (catalog: CatalogFile) => T,
): Promise<{ catalog: CatalogFile; result: T }> {
  const catalog = await loadCatalog(home, name);
  const result = edit(catalog);
  await saveCatalog(home, catalog);
  return { catalog, result };
}

/** A catalog in NATSTER_HOME, in brief. */
export type LocalCatalog = { name: string; files: number; bytes: number };

/**
 * The catalogs in `home`: every `<name>.json` whose name is a catalog name and whose text is a
 * catalog (other files there, such as `stack-client.json`, are not), by name. Only the `wanted` names
 * are read: a catalog file can hold 100,000 entries.
 */
export async function listLocalCatalogs(
  home: string,
  wanted: (name: string) => boolean = () => true,
): Promise<LocalCatalog[]> {
  const names = (await readdir(home).catch(() => [] as string[]))
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .filter((name) => CATALOG_NAME.test(name) && name === normalizeCatalogName(name) && wanted(name));
  const found: LocalCatalog[] = [];
  for (const name of names.sort()) {
    const catalog = await loadCatalog(home, name).catch(() => undefined);
    if (catalog)
      found.push({ name, files: catalog.entries.length, bytes: catalog.entries.reduce((n, e) => n + e.byte_size, 0) });
  }
  return found;
}
