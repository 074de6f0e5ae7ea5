/**
 * What a catalog server and the local services send: the catalog `get` pages and the inbox.
 * (`my.shares` answers `CatalogShareSummary[]`, in global.ts.)
 */
import type { CatalogImport } from "./accounts.ts";
import type { CatalogShareSummary } from "./global.ts";

/** One file of a catalog, exactly upstream's `MediaLibrary` entry (wire order: path, description, mime_type, byte_size, hash). */
export type CatalogEntry = {
  /** Root-relative, "/"-separated, with a leading "/" (e.g. "/movies/a.mp4"). */
  path: string;
  description: string;
  mime_type: string;
  byte_size: number;
  /** Lowercase hex SHA-256 of the whole file: the file's identity in the API. */
  hash: string;
};

/** Upstream's default entry description: it says nothing, so readers may hide it. */
export const DEFAULT_ENTRY_DESCRIPTION = "Auto-imported library entry";

/** `get` request body: optional; empty means page 0 at the default size (what upstream clients send). */
export type PageRequest = { page: number; page_size: number };

/** `get` reply: upstream's CatalogSummary plus paging fields. A page past the end has no entries. */
export type CatalogSummary = {
  name: string;
  description: string;
  image?: string;
  entries: CatalogEntry[];
  /** 0-based. */
  page: number;
  page_size: number;
  total_entries: number;
  /** At least 1, so page 0 always exists. */
  pages: number;
};

/** An own catalog the local agent heard beat (name and revision). */
export type ServedCatalog = { catalog: string; revision: number };

/**
 * `natster.local.inbox` reply: shares not imported yet; a catalog server names itself (`catalog`,
 * `revision`), the local agent lists the own catalogs it heard (`catalogs`); `imports` is what
 * this context imported.
 */
export type InboxReply = {
  catalog?: string;
  account_key: string;
  revision?: number;
  unimported_shares: CatalogShareSummary[];
  imports?: CatalogImport[];
  catalogs?: ServedCatalog[];
};
