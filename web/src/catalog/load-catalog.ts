import type { NatsConnection } from "@nats-io/nats-core";
import {
  loadCatalogPages,
  normalizeCatalogName,
  requestEnvelope,
  Subjects,
  type CatalogSummary,
  type LoadedCatalog,
  type PageRequest,
} from "@natster/protocol";

export type { LoadedCatalog };

export type LoadCatalogOptions = {
  nc: NatsConnection;
  catalog: string;
  /** Called after each page with everything loaded so far (the same growing array). */
  onPage?: (loaded: LoadedCatalog) => void;
  signal?: AbortSignal;
};

export const getSubject = (catalog: string): string => Subjects.catalogLocal(normalizeCatalogName(catalog), "get");

/** Loads every page of a catalog through the one catalog pager. */
export function loadCatalog({ nc, catalog, onPage, signal }: LoadCatalogOptions): Promise<LoadedCatalog> {
  const request = (page: PageRequest) => requestEnvelope<CatalogSummary>(nc, getSubject(catalog), page);
  return loadCatalogPages({ request, onPage, signal });
}
