import { NatsterError, normalizeCatalogName } from "@natster/protocol";
import type { CatalogEntry, CatalogFile, IndexRecord } from "./types.ts";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const corrupt = (where: string, why: string) => new NatsterError("CATALOG_CORRUPT", `${where}: ${why}`);

function parseEntry(v: unknown, where: string): CatalogEntry {
  if (!isObject(v) || typeof v.path !== "string" || typeof v.hash !== "string")
    throw corrupt(where, "an entry needs a path and a hash");
  return {
    // Upstream wrote root-relative paths without the leading "/" when root_dir ended in "/".
    path: v.path.startsWith("/") ? v.path : `/${v.path}`,
    description: typeof v.description === "string" ? v.description : "",
    mime_type: typeof v.mime_type === "string" ? v.mime_type : "",
    byte_size: typeof v.byte_size === "number" ? v.byte_size : 0,
    hash: v.hash,
  };
}

function parseIndex(v: unknown): Record<string, IndexRecord> {
  const index: Record<string, IndexRecord> = {};
  if (!isObject(v)) return index;
  for (const [path, r] of Object.entries(v)) {
    if (path.startsWith("/") && isObject(r) && typeof r.size === "number" && typeof r.mtime_ms === "number")
      index[path] = { size: r.size, mtime_ms: r.mtime_ms };
  }
  return index;
}

/** Parses a catalog file (ours or upstream's); `where` names it in errors. Names come back lower-cased. */
export function parseCatalogFile(text: string, where: string): CatalogFile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw corrupt(where, (e as Error).message);
  }
  if (!isObject(v) || typeof v.name !== "string" || typeof v.root_dir !== "string")
    throw corrupt(where, "name and root_dir are required");
  if (v.entries !== undefined && v.entries !== null && !Array.isArray(v.entries))
    throw corrupt(where, "entries must be an array");
  const entries = ((v.entries as unknown[] | null | undefined) ?? []).map((e, i) =>
    parseEntry(e, `${where} entry ${i}`),
  );
  const catalog: CatalogFile = {
    name: normalizeCatalogName(v.name),
    root_dir: v.root_dir,
    description: typeof v.description === "string" ? v.description : "",
    ...(typeof v.image === "string" && v.image !== "" ? { image: v.image } : {}),
    last_modified:
      typeof v.last_modified === "number" && v.last_modified > 0 ? v.last_modified : Math.floor(Date.now() / 1000),
    entries,
    x_index: parseIndex(v.x_index),
  };
  return catalog;
}
