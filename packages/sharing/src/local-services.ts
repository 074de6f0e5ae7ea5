import {
  fail,
  localServiceVerb,
  ok,
  type CatalogImport,
  type CatalogShareSummary,
  type Envelope,
  type InboxReply,
  type ServedCatalog,
} from "@natster/protocol";
import type { CatalogFile } from "@natster/catalog";
import { parseImportRequest, pendingShares, readContextImports, type ImportOutcome } from "@natster/sharing";
import { failureOf } from "@natster/node-kit";

export type LocalServicesDeps = {
  fetchShares: () => Promise<CatalogShareSummary[]>;
  /** Imports a shared catalog for the owner (the web app's Import button). */
  importCatalog: (wanted: CatalogImport) => Promise<ImportOutcome>;
  home: string;
  contextName: string;
  owner: string;
  /** The catalog this server serves; the local agent serves none. */
  catalog?: () => CatalogFile;
  /** Own catalogs heard online (the local agent's answer for "My catalogs"). */
  servedCatalogs?: () => ServedCatalog[];
};

/** `natster.local.<verb>`: `inbox` and `import`; anything else is UNKNOWN_VERB (upstream sent no reply). */
export type LocalImportReply = { imports: CatalogImport[]; recorded: boolean; record_error?: string };

export async function handleLocalService(
  subject: string,
  deps: LocalServicesDeps,
  data: Uint8Array = new Uint8Array(),
): Promise<Envelope<InboxReply | LocalImportReply>> {
  const verb = localServiceVerb(subject);
  if (verb !== "import" && verb !== "inbox") return fail(404, "UNKNOWN_VERB", `unknown local service '${verb}'`);
  try {
    if (verb === "import") {
      const o = await deps.importCatalog(parseImportRequest(data));
      return ok<LocalImportReply>({
        imports: o.catalogs,
        recorded: o.recorded,
        ...(o.recorded ? {} : { record_error: o.record_error }),
      });
    }
    const [shares, imports] = await Promise.all([deps.fetchShares(), readContextImports(deps.home, deps.contextName)]);
    const catalog = deps.catalog?.();
    return ok({
      ...(catalog ? { catalog: catalog.name, revision: catalog.last_modified } : {}),
      account_key: deps.owner,
      unimported_shares: pendingShares(shares, imports, deps.owner),
      imports,
      ...(deps.servedCatalogs ? { catalogs: deps.servedCatalogs() } : {}),
    });
  } catch (e) {
    return failureOf(e);
  }
}
