import type { CatalogEntry, CatalogSummary, PageRequest } from "./catalog-wire.ts";
import { NatsterError } from "./errors.ts";

/**
 * The one catalog pager (CLI and web app): it pages through `get` so that 100k-entry catalogs
 * arrive in pieces the server can send. Page sizes are powers of two, so after halving (a page
 * over the server's max payload) the entries already loaded are still a whole number of pages.
 */
export const FIRST_PAGE_SIZE = 2048;
export const MIN_PAGE_SIZE = 16;

export const nextPageRequest = (loaded: number, pageSize: number): PageRequest => ({
  page: loaded / pageSize,
  page_size: pageSize,
});

/** The next smaller size to try after PAYLOAD_TOO_LARGE, or undefined when even the smallest failed. */
export const smallerPageSize = (pageSize: number): number | undefined =>
  pageSize > MIN_PAGE_SIZE ? pageSize / 2 : undefined;

/** Whether the load is complete: everything the server counts is here, or it sent an empty page. */
export const isComplete = (loaded: number, total: number, lastPageLength: number): boolean =>
  loaded >= total || lastPageLength === 0;

export type LoadedCatalog = {
  name: string;
  description: string;
  image?: string;
  entries: CatalogEntry[];
  total: number;
};

export type LoadPagesOptions = {
  /** Asks the catalog server for one page (a failure throws a NatsterError). */
  request: (page: PageRequest) => Promise<CatalogSummary>;
  /** Called after each page with everything loaded so far (the same growing array). */
  onPage?: (loaded: LoadedCatalog) => void;
  signal?: AbortSignal;
};

/** Loads every page; entries that are not well-formed catalog entries are left out. */
export async function loadCatalogPages({ request, onPage, signal }: LoadPagesOptions): Promise<LoadedCatalog> {
  const entries: CatalogEntry[] = [];
  let pageSize = FIRST_PAGE_SIZE;
  for (;;) {
    if (signal?.aborted) throw new NatsterError("TRANSFER_CANCELLED", "the catalog load was cancelled");
    let page: CatalogSummary;
    try {
      page = await request(nextPageRequest(entries.length, pageSize));
    } catch (error) {
      const smaller =
        error instanceof NatsterError && error.code === "PAYLOAD_TOO_LARGE" ? smallerPageSize(pageSize) : undefined;
      if (smaller === undefined) throw error;
      pageSize = smaller;
      continue;
    }
    entries.push(...page.entries.filter(isCatalogEntry));
    const image = page.image === undefined ? {} : { image: page.image };
    const result: LoadedCatalog = {
      name: page.name,
      description: page.description,
      ...image,
      entries,
      total: page.total_entries,
    };
    onPage?.(result);
    if (isComplete(entries.length, page.total_entries, page.entries.length)) return result;
  }
}

export const isCatalogEntry = (e: unknown): e is CatalogEntry =>
  typeof e === "object" &&
  e !== null &&
  typeof (e as CatalogEntry).path === "string" &&
  typeof (e as CatalogEntry).hash === "string" &&
  typeof (e as CatalogEntry).byte_size === "number" &&
  typeof (e as CatalogEntry).mime_type === "string";
