import type { CatalogImport, CatalogShareSummary } from "@natster/protocol";

/** An own catalog the local agent heard beat (name and revision). */
export type ServedCatalog = { catalog: string; revision: number };

/**
 * `natster.local.inbox` reply (upstream §5.6). A catalog server names itself (`catalog`,
 * `revision`); the local agent serves no catalog and lists the servers it heard (`catalogs`).
 * `imports` are the catalogs this context imported (so the page can tell a revoked share).
 */
export type InboxReply = {
  catalog?: string;
  account_key: string;
  revision?: number;
  unimported_shares: CatalogShareSummary[];
  imports?: CatalogImport[];
  catalogs?: ServedCatalog[];
};
