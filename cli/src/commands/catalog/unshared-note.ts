import type { LocalCatalog } from "@natster/catalog";
import type { CatalogShareSummary } from "@natster/protocol";
import { count } from "../../plural.ts";
import { humanBytes } from "../../progress.ts";

/**
 * The line `catalog ls` adds for the person's own catalogs that no share lists yet (the shares
 * come from the global service; a catalog shared with nobody lives only in NATSTER_HOME).
 */
export function unsharedNote(local: readonly LocalCatalog[], shares: readonly CatalogShareSummary[], me: string) {
  const shared = sharedByMe(shares, me);
  const alone = local.filter((c) => !shared.has(c.name));
  if (alone.length === 0) return undefined;
  const list = alone.map((c) => `${c.name} (${count(c.files, "file")}, ${humanBytes(c.bytes)})`).join(", ");
  return `Yours, shared with nobody yet: ${list}. Share one with: natster catalog share <name> <account>`;
}

/** The names of the catalogs `me` shares with someone. */
export const sharedByMe = (shares: readonly CatalogShareSummary[], me: string): Set<string> =>
  new Set(shares.filter((s) => s.from_account === me).map((s) => s.catalog));
