import {
  isAccountKey,
  isCatalogName,
  NatsterError,
  normalizeCatalogName,
  type CatalogImport,
  type NatsterEventRequest,
} from "@natster/protocol";

/** The import is done either way; `recorded` says whether the global log took the catalog_imported event. */
export type ImportOutcome =
  | { catalogs: CatalogImport[]; recorded: true }
  | { catalogs: CatalogImport[]; recorded: false; record_error: string };

/** `natster.local.import`'s body (the web app's Import button): `{catalog, from}`, checked and normalized. */
export function parseImportRequest(data: Uint8Array): CatalogImport {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(data));
  } catch {
    throw new NatsterError("BAD_JSON", "expected {catalog, from}");
  }
  const { catalog, from } = (body ?? {}) as Partial<CatalogImport>;
  if (!isCatalogName(catalog)) throw new NatsterError("BAD_CATALOG_NAME", "catalog must be 1-64 letters and digits");
  if (!isAccountKey(from)) throw new NatsterError("BAD_ACCOUNT_KEY", "from must be an account public key");
  return { catalog: normalizeCatalogName(catalog), from };
}

/** An import under the name of an own catalog would shadow it (both answer on `natster.catalog.<name>.*`). */
export function refuseShadowing(wanted: CatalogImport, ownCatalogExists: boolean): void {
  if (ownCatalogExists) {
    throw new NatsterError(
      "NAME_TAKEN",
      `you have a local catalog named '${wanted.catalog}'; importing another under the same name would shadow it`,
    );
  }
}

/** What the global log is told, so the owner's history shows the import. */
export const importedEvent = (wanted: CatalogImport): NatsterEventRequest => ({
  catalog: wanted.catalog,
  target: wanted.from,
  event_type: "catalog_imported",
  data: null,
});

/** A failure as one line for a person: a NatsterError keeps its code. */
export const describeFailure = (e: unknown): string =>
  e instanceof NatsterError ? `[${e.code}] ${e.message}` : e instanceof Error ? e.message : String(e);
