import { NatsterError, SHA256_HEX, type CatalogEntry } from "@natster/protocol";

/** A file as the commands take it: by its SHA-256, or by its path in the catalog. */
export type FileRef = { hash: string } | { path: string };

/** A SHA-256 as `catalog contents` lists it, or a path starting with `/`; anything else is BAD_REQUEST. */
export function fileRef(raw: string, catalog: string): FileRef {
  if (SHA256_HEX.test(raw)) return { hash: raw };
  if (raw.startsWith("/")) return { path: raw };
  throw new NatsterError(
    "BAD_REQUEST",
    `'${raw}' is neither a SHA-256 (64 lowercase hex characters) nor a path in the catalog (starting with /): ` +
      `see natster catalog contents ${catalog}`,
  );
}

/** The entry `ref` names in a listing (by hash: the first of the paths holding those bytes). */
export function chooseEntry(entries: readonly CatalogEntry[], ref: FileRef, catalog: string): CatalogEntry {
  const found = "hash" in ref ? entries.find((e) => e.hash === ref.hash) : entries.find((e) => e.path === ref.path);
  if (found) return found;
  const what = "hash" in ref ? `no file with SHA-256 ${ref.hash}` : `no file at ${ref.path}`;
  throw new NatsterError("NOT_FOUND", `catalog '${catalog}' lists ${what}: see natster catalog contents ${catalog}`);
}
