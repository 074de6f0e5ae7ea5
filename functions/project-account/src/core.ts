import { STATS_KEY, Stores, type AccountProjection, type ShareEntry, type StatsProjection } from "@natster/protocol";
import type { ProjectedEvent } from "../../_lib/src/triggered-event.ts";

/** The current values of the keys one event may touch. */
export type AccountKeys = { from?: AccountProjection; to?: AccountProjection; stats?: StatsProjection };

export type AccountWrite =
  | { bucket: typeof Stores.statsProjection; key: typeof STATS_KEY; value: StatsProjection }
  | { bucket: typeof Stores.accountProjection; key: string; value: AccountProjection };

type Account = Omit<AccountProjection, "applied_seq">;
const EMPTY: Account = { out_shares: [], in_shares: [], initialized_at: 0 };

/** Events that change the `<to>` account too (and must read it). */
export const touchesTarget = (e: ProjectedEvent): boolean => (e.type === "catalog_shared" || e.type === "catalog_unshared") && e.from !== e.to;

/**
 * The account projection: PROJ_ACCOUNT (one key per account) and PROJ_STATS. Idempotent by
 * sequence: a key whose applied_seq is at or past the event is left alone, so a redelivery changes
 * nothing. Writes come stats first, then `<from>`, then `<to>`: the stats change is judged from
 * `<from>`'s previous state, so a crash between two writes is repaired by the redelivery.
 */
export function planAccountWrites(e: ProjectedEvent, keys: AccountKeys): AccountWrite[] {
  const pending = (value: { applied_seq: number } | undefined) => !value || value.applied_seq < e.seq;
  const from: Account = keys.from ?? EMPTY;
  const to: Account = keys.to ?? EMPTY;
  const out = { catalog: e.catalog, account: e.to };
  const into = { catalog: e.catalog, account: e.from };
  let stats: Partial<StatsProjection> = {};
  let nextFrom: Account | undefined;
  let nextTo: Account | undefined;
  switch (e.type) {
    case "natster_initialized":
      if (from.initialized_at > 0) break;
      stats = { total_initialized: 1 };
      nextFrom = { ...from, initialized_at: e.time };
      break;
    case "catalog_shared":
      if (e.from === e.to) break;
      if (!includes(from.out_shares, out)) stats = { share_count: 1 };
      nextFrom = added(from, "out_shares", out);
      nextTo = added(to, "in_shares", into);
      break;
    case "catalog_unshared":
      if (e.from === e.to) break;
      if (includes(from.out_shares, out)) stats = { share_count: -1 };
      nextFrom = removed(from, "out_shares", out);
      nextTo = removed(to, "in_shares", into);
      break;
    case "context_bound":
      nextFrom = { ...from, bound_context: { bound_at: e.time } };
      break;
    case "catalog_imported":
      break;
    default:
      return unreachable(e.type);
  }
  const writes: AccountWrite[] = [];
  if ((stats.total_initialized || stats.share_count) && pending(keys.stats)) {
    const total_initialized = (keys.stats?.total_initialized ?? 0) + (stats.total_initialized ?? 0);
    const share_count = (keys.stats?.share_count ?? 0) + (stats.share_count ?? 0);
    writes.push({ bucket: Stores.statsProjection, key: STATS_KEY, value: { total_initialized, share_count, applied_seq: e.seq } });
  }
  if (nextFrom && pending(keys.from)) writes.push({ bucket: Stores.accountProjection, key: e.from, value: canonical(nextFrom, e.seq) });
  if (nextTo && pending(keys.to)) writes.push({ bucket: Stores.accountProjection, key: e.to, value: canonical(nextTo, e.seq) });
  return writes;
}

const sameShare = (a: ShareEntry, b: ShareEntry) => a.catalog === b.catalog && a.account === b.account;
const includes = (list: readonly ShareEntry[], entry: ShareEntry) => list.some((s) => sameShare(s, entry));

type ShareList = "out_shares" | "in_shares";

/** Set semantics: undefined when the entry is already there (nothing to write). */
function added(account: Account, list: ShareList, entry: ShareEntry): Account | undefined {
  return includes(account[list], entry) ? undefined : { ...account, [list]: [...account[list], entry] };
}

function removed(account: Account, list: ShareList, entry: ShareEntry): Account | undefined {
  return includes(account[list], entry) ? { ...account, [list]: account[list].filter((s) => !sameShare(s, entry)) } : undefined;
}

/** A fixed key order, so a rebuild writes the same bytes. */
function canonical(a: Account, seq: number): AccountProjection {
  const entry = (s: ShareEntry): ShareEntry => ({ catalog: s.catalog, account: s.account });
  const value: AccountProjection = { out_shares: a.out_shares.map(entry), in_shares: a.in_shares.map(entry), initialized_at: a.initialized_at, applied_seq: seq };
  if (a.bound_context) value.bound_context = { bound_at: a.bound_context.bound_at };
  return value;
}

function unreachable(type: never): never {
  throw new Error(`unhandled event type ${String(type)}`);
}

/** Reads one key of the account projection (called at most once per key and batch). */
export type AccountReader = { account(key: string): AccountProjection | undefined; stats(): StatsProjection | undefined };

/**
 * A batch of events applied in memory, as if one by one: each key is read once, and the result is
 * one write per changed key, stats first (its change is judged from the accounts' previous state,
 * so a crash after it and before them is repaired by the redelivery), then accounts in the order
 * they were first changed.
 */
export function planAccountBatch(events: readonly ProjectedEvent[], read: AccountReader): AccountWrite[] {
  const accounts = new Map<string, AccountProjection | undefined>();
  const account = (key: string) => {
    if (!accounts.has(key)) accounts.set(key, read.account(key));
    return accounts.get(key);
  };
  let stats: StatsProjection | undefined;
  let statsRead = false;
  let statsChanged = false;
  const changed = new Set<string>();
  for (const e of events) {
    if (!statsRead) {
      stats = read.stats();
      statsRead = true;
    }
    for (const write of planAccountWrites(e, { from: account(e.from), to: touchesTarget(e) ? account(e.to) : undefined, stats })) {
      if (write.bucket === Stores.statsProjection) {
        stats = write.value;
        statsChanged = true;
      } else {
        accounts.set(write.key, write.value);
        changed.add(write.key);
      }
    }
  }
  const writes: AccountWrite[] = statsChanged && stats ? [{ bucket: Stores.statsProjection, key: STATS_KEY, value: stats }] : [];
  for (const key of changed) writes.push({ bucket: Stores.accountProjection, key, value: accounts.get(key) as AccountProjection });
  return writes;
}
