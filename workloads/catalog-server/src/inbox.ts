import type { CatalogImport, CatalogShareSummary } from "@natster/protocol";
import { normalizeCatalogName } from "@natster/protocol";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

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

/** Shares to `me` from others whose catalog name is not imported yet (one import per name, as upstream). */
export function unimportedShares(shares: readonly CatalogShareSummary[], imports: readonly CatalogImport[], me: string): CatalogShareSummary[] {
  const imported = new Set(imports.map((i) => normalizeCatalogName(i.catalog)));
  return shares.filter((s) => s.to_account === me && s.from_account !== me && !imported.has(normalizeCatalogName(s.catalog)));
}

const isImport = (v: unknown): v is CatalogImport =>
  typeof v === "object" && v !== null && typeof (v as CatalogImport).catalog === "string" && typeof (v as CatalogImport).from === "string";

/** The `imports` the CLI records in `<home>/<context>.context`; a missing or unreadable file means none. */
export async function readContextImports(home: string, contextName: string): Promise<CatalogImport[]> {
  try {
    const context = JSON.parse(await readFile(join(home, `${contextName}.context`), "utf8")) as { imports?: unknown };
    return Array.isArray(context.imports) ? context.imports.filter(isImport) : [];
  } catch {
    return [];
  }
}
