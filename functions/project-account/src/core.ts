import { STATS_KEY, Stores, type AccountProjection, type ShareEntry, type StatsProjection } from "@natster/protocol";
import type { ProjectedEvent } from "../../_lib/src/triggered-event.ts";

/** The current values of the keys one event may touch. */
export type AccountKeys = { from?: AccountProjection; to?: AccountProjection; stats?: StatsProjection };

export type AccountWrite =
  | { bucket: typeof Stores.statsProjection; key: typeof STATS_KEY; value: StatsProjection }
  | { bucket: typeof Stores.accountProjection; key: string; value: AccountProjection };

/** Reads one key of the account projection (called at most once per key and batch). */
export type AccountReader = {
  account(key: string): AccountProjection | undefined;
  stats(): StatsProjection | undefined;
};

/** Events that change the `<to>` account too (and must read it). */
export const touchesTarget = (e: ProjectedEvent): boolean =>
  (e.type === "catalog_shared" || e.type === "catalog_unshared") && e.from !== e.to;

/** An account being changed in memory: share lists as insertion-ordered maps (set semantics, O(1) lookups). */
type Working = {
  out: Map<string, ShareEntry>;
  into: Map<string, ShareEntry>;
  initialized_at: number;
  bound_context?: { bound_at: number };
  applied_seq: number;
};

const shareKey = (catalog: string, account: string) => `${catalog} ${account}`;
/** The stored entries themselves: the projection is their only writer, so they are in canonical form. */
const listMap = (list: readonly ShareEntry[]) => {
  const map = new Map<string, ShareEntry>();
  for (const s of list) map.set(shareKey(s.catalog, s.account), s);
  return map;
};

function working(stored: AccountProjection | undefined): Working {
  if (!stored) return { out: new Map(), into: new Map(), initialized_at: 0, applied_seq: 0 };
  const w: Working = {
    out: listMap(stored.out_shares),
    into: listMap(stored.in_shares),
    initialized_at: stored.initialized_at,
    applied_seq: stored.applied_seq,
  };
  if (stored.bound_context) w.bound_context = { bound_at: stored.bound_context.bound_at };
  return w;
}

/** A fixed key order, so a rebuild writes the same bytes. */
function canonical(a: Working): AccountProjection {
  const value: AccountProjection = {
    out_shares: [...a.out.values()],
    in_shares: [...a.into.values()],
    initialized_at: a.initialized_at,
    applied_seq: a.applied_seq,
  };
  if (a.bound_context) value.bound_context = { bound_at: a.bound_context.bound_at };
  return value;
}

/**
 * The account projection: PROJ_ACCOUNT (one key per account) and PROJ_STATS. A batch of events is
 * applied in memory as if one by one: each key is read once, and the result is one write per
 * changed key. Idempotent by sequence: a key whose applied_seq is at or past an event is left
 * alone, so a redelivery changes nothing. Stats come first in the writes (its change is judged
 * from `<from>`'s previous state, so a crash after it and before the accounts is repaired by the
 * redelivery), then accounts in the order they were first changed.
 */
export function planAccountBatch(events: readonly ProjectedEvent[], read: AccountReader): AccountWrite[] {
  const accounts = new Map<string, Working>();
  const account = (key: string): Working => {
    let a = accounts.get(key);
    if (!a) accounts.set(key, (a = working(read.account(key))));
    return a;
  };
  let stats: StatsProjection | undefined;
  let statsChanged = false;
  const changed = new Set<string>();
  for (const e of events) {
    stats ??= read.stats() ?? { total_initialized: 0, share_count: 0, applied_seq: 0 };
    const from = account(e.from);
    const to = touchesTarget(e) ? account(e.to) : undefined;
    // What the event would change, judged from the state before it (no closures: this runs per event).
    let initialized = 0;
    let shares = 0;
    let changeFrom: "init" | "add" | "remove" | "bind" | undefined;
    let changeTo: "add" | "remove" | undefined;
    let outKey = "";
    let inKey = "";
    switch (e.type) {
      case "natster_initialized":
        if (from.initialized_at > 0) break;
        initialized = 1;
        changeFrom = "init";
        break;
      case "catalog_shared":
        if (!to) break;
        outKey = shareKey(e.catalog, e.to);
        inKey = shareKey(e.catalog, e.from);
        if (!from.out.has(outKey)) {
          shares = 1;
          changeFrom = "add";
        }
        if (!to.into.has(inKey)) changeTo = "add";
        break;
      case "catalog_unshared":
        if (!to) break;
        outKey = shareKey(e.catalog, e.to);
        inKey = shareKey(e.catalog, e.from);
        if (from.out.has(outKey)) {
          shares = -1;
          changeFrom = "remove";
        }
        if (to.into.has(inKey)) changeTo = "remove";
        break;
      case "context_bound":
        changeFrom = "bind";
        break;
      case "catalog_imported":
        break;
      default:
        return unreachable(e.type);
    }
    if ((initialized || shares) && stats.applied_seq < e.seq) {
      stats = {
        total_initialized: stats.total_initialized + initialized,
        share_count: stats.share_count + shares,
        applied_seq: e.seq,
      };
      statsChanged = true;
    }
    if (changeFrom && from.applied_seq < e.seq) {
      if (changeFrom === "init") from.initialized_at = e.time;
      else if (changeFrom === "add") from.out.set(outKey, { catalog: e.catalog, account: e.to });
      else if (changeFrom === "remove") from.out.delete(outKey);
      else from.bound_context = { bound_at: e.time };
      from.applied_seq = e.seq;
      changed.add(e.from);
    }
    if (to && changeTo && to.applied_seq < e.seq) {
      if (changeTo === "add") to.into.set(inKey, { catalog: e.catalog, account: e.from });
      else to.into.delete(inKey);
      to.applied_seq = e.seq;
      changed.add(e.to);
    }
  }
  const writes: AccountWrite[] =
    statsChanged && stats ? [{ bucket: Stores.statsProjection, key: STATS_KEY, value: stats }] : [];
  for (const key of changed) writes.push({ bucket: Stores.accountProjection, key, value: canonical(account(key)) });
  return writes;
}

/** One event against the given keys: the writes it makes (stats, then `<from>`, then `<to>`). */
export function planAccountWrites(e: ProjectedEvent, keys: AccountKeys): AccountWrite[] {
  return planAccountBatch([e], { account: (key) => (key === e.from ? keys.from : keys.to), stats: () => keys.stats });
}

function unreachable(type: never): never {
  throw new Error(`unhandled event type ${String(type)}`);
}
