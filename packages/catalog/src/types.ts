import type { CatalogEntry } from "@natster/protocol";

/** The catalog's wire types are part of the contract (`@natster/protocol`). */
export { DEFAULT_ENTRY_DESCRIPTION, type CatalogEntry } from "@natster/protocol";

/** What rescans compare against to decide whether a file must be re-hashed. */
export type IndexRecord = { mtime_ms: number; size: number };

/**
 * The catalog file `<NATSTER_HOME>/<name>.json`: upstream's MediaLibrary shape, plus our own
 * bookkeeping under `x_index` (keyed by entry path) which upstream readers ignore.
 */
export type CatalogFile = {
  name: string;
  root_dir: string;
  description: string;
  image?: string;
  /** Unix seconds; the catalog revision. Strictly increases on every visible change. */
  last_modified: number;
  entries: CatalogEntry[];
  x_index: Record<string, IndexRecord>;
};

/** A regular file found under the root. */
export type FileStat = { path: string; size: number; mtime_ms: number };

/** Reported while hashing, so a CLI can draw a progress bar. */
export type IngestProgress = { files_done: number; files_total: number; bytes_done: number; bytes_total: number };
export type ProgressCallback = (progress: IngestProgress) => void;
