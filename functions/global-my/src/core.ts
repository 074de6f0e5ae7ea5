import type { AccountProjection, CatalogShareSummary, OnlineEntry } from "@natster/protocol";
import { onlineKey } from "../../_lib/src/addresses.ts";

/** Online entries by NATSTER_ONLINE key (`<account>.<catalog>`). */
export type OnlineCatalogs = Readonly<Record<string, Pick<OnlineEntry, "revision"> | undefined>>;

/** The NATSTER_ONLINE keys `my.shares` may need: one per shared catalog, keyed by its owner. */
export function sharedCatalogKeys(caller: string, account: AccountProjection): string[] {
  return [...account.out_shares.map((s) => onlineKey(caller, s.catalog)), ...account.in_shares.map((s) => onlineKey(s.account, s.catalog))];
}

/**
 * `my.shares`: out-shares first, then in-shares (upstream order). An unknown caller gets `[]`
 * (upstream crashed, bug 9). Shares held by a never-initialized account (the hub, or the target
 * of a share made before its init, bug 10) are still listed: they exist.
 */
export function summarizeShares(caller: string, account: AccountProjection | undefined, online: OnlineCatalogs): CatalogShareSummary[] {
  if (!account) return [];
  const summary = (from: string, to: string, catalog: string): CatalogShareSummary => {
    const entry = online[onlineKey(from, catalog)];
    return { from_account: from, to_account: to, catalog, catalog_online: entry !== undefined, revision: entry?.revision ?? 0 };
  };
  return [
    ...account.out_shares.map((s) => summary(caller, s.account, s.catalog)),
    ...account.in_shares.map((s) => summary(s.account, caller, s.catalog)),
  ];
}
