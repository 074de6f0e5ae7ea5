import type { CatalogImport, NatsterEventRequest } from "@natster/protocol";
import { describeFailure, importedEvent, refuseShadowing, type ImportOutcome } from "./import-plan.ts";

/** What importing needs from the world; the CLI and the catalog server each supply their own. */
export type ImportPorts = {
  ownCatalogExists(name: string): boolean;
  /** Signs the import with the account key (it never leaves the owner's machine) through the authority; the account's imports after it. */
  addImport(wanted: CatalogImport): Promise<{ catalogs: CatalogImport[] }>;
  /** Records the account's imports in the context (the inbox reads them there). */
  saveImports(catalogs: CatalogImport[]): void | Promise<void>;
  putEvent(event: NatsterEventRequest): Promise<unknown>;
};

/**
 * Imports a catalog another account shared: refuse to shadow an own catalog, change the account
 * JWT, record the imports, then tell the global log. The import stands even when the log does not
 * take the event; the outcome says so.
 */
export async function importSharedCatalog(ports: ImportPorts, wanted: CatalogImport): Promise<ImportOutcome> {
  refuseShadowing(wanted, ports.ownCatalogExists(wanted.catalog));
  const { catalogs } = await ports.addImport(wanted);
  await ports.saveImports(catalogs);
  return ports.putEvent(importedEvent(wanted)).then(
    () => ({ catalogs, recorded: true as const }),
    (e: unknown) => ({ catalogs, recorded: false as const, record_error: describeFailure(e) }),
  );
}
