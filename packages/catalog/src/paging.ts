import { NatsterError, type CatalogSummary, type PageRequest } from "@natster/protocol";
import type { CatalogFile } from "./types.ts";

export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 5000;

/** The `get` wire types are part of the contract (`@natster/protocol`). */
export type { CatalogSummary, PageRequest } from "@natster/protocol";

const isWholeNumber = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);

/** Parses a `get` body; throws BAD_JSON or BAD_REQUEST (stable codes) on anything malformed. */
export function parsePageRequest(body: string): PageRequest {
  if (body.trim() === "") return { page: 0, page_size: DEFAULT_PAGE_SIZE };
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    throw new NatsterError("BAD_JSON", "the get request body is not valid JSON");
  }
  if (v === null) return { page: 0, page_size: DEFAULT_PAGE_SIZE };
  if (typeof v !== "object" || Array.isArray(v))
    throw new NatsterError("BAD_REQUEST", "the get request must be an object {page?, page_size?}");
  const { page = 0, page_size = DEFAULT_PAGE_SIZE } = v as { page?: unknown; page_size?: unknown };
  if (!isWholeNumber(page) || page < 0) throw new NatsterError("BAD_REQUEST", "page must be an integer >= 0");
  if (!isWholeNumber(page_size) || page_size < 1 || page_size > MAX_PAGE_SIZE) {
    throw new NatsterError("BAD_REQUEST", `page_size must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return { page, page_size };
}

export const pageCount = (total: number, pageSize: number): number => Math.max(1, Math.ceil(total / pageSize));

/** One page of the catalog, entries in upstream's wire field order. */
export function summarizePage(catalog: CatalogFile, { page, page_size }: PageRequest): CatalogSummary {
  const slice = catalog.entries.slice(page * page_size, (page + 1) * page_size);
  return {
    name: catalog.name,
    description: catalog.description,
    ...(catalog.image ? { image: catalog.image } : {}),
    entries: slice.map(({ path, description, mime_type, byte_size, hash }) => ({
      path,
      description,
      mime_type,
      byte_size,
      hash,
    })),
    page,
    page_size,
    total_entries: catalog.entries.length,
    pages: pageCount(catalog.entries.length, page_size),
  };
}
