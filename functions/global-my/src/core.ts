import type { AccountProjection, CatalogShareSummary, OnlineEntry } from "@natster/protocol";
import { onlineKey } from "../../_lib/src/addresses.ts";

/** Online entries by NATSTER_ONLINE key (`<account>.<catalog>`). */
export type OnlineCatalogs = Readonly<Record<string, Pick<OnlineEntry, "revision"> | undefined>>;

/** The NATSTER_ONLINE keys `my.shares` may need: one per shared catalog, keyed by its owner. */
export function sharedCatalogKeys(caller: string, account: AccountProjection): string[] {
  return [
    ...account.out_shares.map((s) => onlineKey(caller, s.catalog)),
    ...account.in_shares.map((s) => onlineKey(s.account, s.catalog)),
  ];
}

/**
 * `my.shares`: out-shares first, then in-shares (upstream order). An unknown caller gets `[]`
 * (upstream crashed, bug 9). Shares held by a never-initialized account (the hub, or the target
 * of a share made before its init, bug 10) are still listed: they exist.
 */
export function summarizeShares(
  caller: string,
  account: AccountProjection | undefined,
  online: OnlineCatalogs,
  names: AccountNames = {},
): CatalogShareSummary[] {
  if (!account) return [];
  const summary = (from: string, to: string, catalog: string): CatalogShareSummary => {
    const entry = online[onlineKey(from, catalog)];
    const other = from === caller ? { to_name: names[to] } : { from_name: names[from] };
    const named = Object.values(other)[0] === undefined ? {} : other;
    return {
      from_account: from,
      to_account: to,
      catalog,
      catalog_online: entry !== undefined,
      revision: entry?.revision ?? 0,
      ...named,
    };
  };
  return [
    ...account.out_shares.map((s) => summary(caller, s.account, s.catalog)),
    ...account.in_shares.map((s) => summary(s.account, caller, s.catalog)),
  ];
}

/** Display names by account key (from `natster init --name`); labels only, never used to authorize. */
export type AccountNames = Readonly<Record<string, string | undefined>>;

/** The other accounts of the caller's shares, once each. */
export const sharePartners = (account: AccountProjection): string[] => [
  ...new Set([...account.out_shares, ...account.in_shares].map((s) => s.account)),
];

const MAX_NAME = 64;

/** The name an account gave itself at init (`natster_initialized` data), cleaned for display; undefined when none. */
export function accountNameOf(data: unknown): string | undefined {
  const name =
    typeof data === "object" && data !== null ? (data as { account_name?: unknown }).account_name : undefined;
  if (typeof name !== "string") return undefined;
  const clean = [...name]
    .filter((c) => c >= " " && c !== "\u007f")
    .join("")
    .trim()
    .slice(0, MAX_NAME);
  return clean.length > 0 ? clean : undefined;
}

/** The label of the stack's own hub account, which never runs `natster init`. */
export const HUB_NAME = "Natster hub";

/** A partner's label: the hub's fixed one, else the name from its init data. */
export const partnerName = (partner: string, hub: string | undefined, initData: () => unknown): string | undefined =>
  partner === hub ? HUB_NAME : accountNameOf(initData());
