import { normalizeCatalogName, type CatalogImport, type CatalogShareSummary } from "@natster/protocol";

/**
 * A share is imported when an import names the same catalog (names are case-insensitive) AND the
 * same sender: two accounts may share catalogs of the same name, and importing one is not
 * importing the other.
 */
export const isImportOf = (imp: CatalogImport, share: CatalogShareSummary): boolean =>
  imp.from === share.from_account && normalizeCatalogName(imp.catalog) === normalizeCatalogName(share.catalog);

/** Shares to `me` from other accounts that `me` has not imported yet: the inbox. */
export const pendingShares = (
  shares: readonly CatalogShareSummary[],
  imports: readonly CatalogImport[],
  me: string,
): CatalogShareSummary[] =>
  shares.filter((s) => s.to_account === me && s.from_account !== me && !imports.some((i) => isImportOf(i, s)));

/** Whether `imp` names a catalog its sender shares with `me`: an import without one is refused by the sender's server. */
export const isSharedWith = (shares: readonly CatalogShareSummary[], imp: CatalogImport, me: string): boolean =>
  shares.some((s) => s.to_account === me && isImportOf(imp, s));
