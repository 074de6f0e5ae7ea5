import type { NatsConnection } from "@nats-io/nats-core";
import { NatsterError, normalizeCatalogName } from "@natster/protocol";
import { errorCodeOf, requestEnvelope } from "../nats/request.ts";
import type { CatalogEntry, CatalogPage } from "../protocol/wire.ts";
import { FIRST_PAGE_SIZE, isComplete, nextPageRequest, smallerPageSize } from "./paging.ts";

export type LoadedCatalog = { name: string; description: string; entries: CatalogEntry[]; total: number };

export type LoadCatalogOptions = {
  nc: NatsConnection;
  catalog: string;
  /** Called after each page with everything loaded so far (the same growing array). */
  onPage?: (loaded: LoadedCatalog) => void;
  signal?: AbortSignal;
};

export const getSubject = (catalog: string): string => `natster.catalog.${normalizeCatalogName(catalog)}.get`;

/** Loads every page of a catalog, so 100k-entry catalogs arrive in pieces the server can send. */
export async function loadCatalog({ nc, catalog, onPage, signal }: LoadCatalogOptions): Promise<LoadedCatalog> {
  const entries: CatalogEntry[] = [];
  let pageSize = FIRST_PAGE_SIZE;
  let result: LoadedCatalog | undefined;
  for (;;) {
    if (signal?.aborted) throw new NatsterError("TRANSFER_CANCELLED", "the catalog load was cancelled");
    let page: CatalogPage;
    try {
      page = await requestEnvelope<CatalogPage>(nc, getSubject(catalog), nextPageRequest(entries.length, pageSize));
    } catch (error) {
      const smaller = errorCodeOf(error) === "PAYLOAD_TOO_LARGE" ? smallerPageSize(pageSize) : undefined;
      if (smaller === undefined) throw error;
      pageSize = smaller;
      continue;
    }
    entries.push(...page.entries.filter(isEntry));
    result = { name: page.name, description: page.description, entries, total: page.total_entries };
    onPage?.(result);
    if (isComplete(entries.length, page.total_entries, page.entries.length)) return result;
  }
}

const isEntry = (e: unknown): e is CatalogEntry =>
  typeof e === "object" &&
  e !== null &&
  typeof (e as CatalogEntry).path === "string" &&
  typeof (e as CatalogEntry).hash === "string" &&
  typeof (e as CatalogEntry).byte_size === "number" &&
  typeof (e as CatalogEntry).mime_type === "string";
