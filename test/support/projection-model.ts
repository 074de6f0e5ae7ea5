import {
  type AccountProjection,
  type CatalogProjection,
  type ShareEntry,
  type StatsProjection,
  type StoredEvent,
  parseEventSubject,
  STATS_KEY,
} from "@natster/protocol";

/**
 * An independent reading of the event log, written from the projection rules (set semantics,
 * first sharer owns a name, only the owner's events change it, `applied_seq` is the last event
 * that changed a key), to check what the projector built, not only that two builds agree.
 */
export type ExpectedProjections = {
  PROJ_ACCOUNT: Record<string, AccountProjection>;
  PROJ_CATALOG: Record<string, CatalogProjection>;
  PROJ_STATS: Record<string, StatsProjection>;
};

type Account = { out: ShareEntry[]; in: ShareEntry[]; initialized_at: number; bound_at?: number; seq: number };

const same = (a: ShareEntry, b: ShareEntry) => a.catalog === b.catalog && a.account === b.account;

export function expectedProjections(
  log: readonly { seq: number; subject: string; event: StoredEvent }[],
): ExpectedProjections {
  const accounts = new Map<string, Account>();
  const catalogs = new Map<string, CatalogProjection>();
  const stats: StatsProjection = { total_initialized: 0, share_count: 0, applied_seq: 0 };
  const account = (key: string): Account => {
    let a = accounts.get(key);
    if (!a) accounts.set(key, (a = { out: [], in: [], initialized_at: 0, seq: 0 }));
    return a;
  };
  for (const { seq, subject, event } of log) {
    const { from, to, catalog, type } = parseEventSubject(subject) ?? { from: "", to: "", catalog: "", type: "" };
    const time = Math.floor(Date.parse(event.time) / 1000);
    const a = account(from);
    if (type === "natster_initialized" && a.initialized_at === 0) {
      a.initialized_at = time;
      a.seq = seq;
      stats.total_initialized++;
      stats.applied_seq = seq;
    } else if (type === "context_bound") {
      a.bound_at = time;
      a.seq = seq;
    } else if ((type === "catalog_shared" || type === "catalog_unshared") && from !== to) {
      const b = account(to);
      const out = { catalog, account: to };
      const into = { catalog, account: from };
      const current = catalogs.get(catalog);
      if (type === "catalog_shared") {
        if (!a.out.some((s) => same(s, out))) {
          a.out.push(out);
          a.seq = seq;
          stats.share_count++;
          stats.applied_seq = seq;
        }
        if (!b.in.some((s) => same(s, into))) {
          b.in.push(into);
          b.seq = seq;
        }
        if (!current)
          catalogs.set(catalog, { catalog_name: catalog, owner: from, shared_with: [to], applied_seq: seq });
        else if (current.owner === from && !current.shared_with.includes(to))
          catalogs.set(catalog, { ...current, shared_with: [...current.shared_with, to], applied_seq: seq });
      } else {
        if (a.out.some((s) => same(s, out))) {
          a.out = a.out.filter((s) => !same(s, out));
          a.seq = seq;
          stats.share_count--;
          stats.applied_seq = seq;
        }
        if (b.in.some((s) => same(s, into))) {
          b.in = b.in.filter((s) => !same(s, into));
          b.seq = seq;
        }
        if (current && current.owner === from && current.shared_with.includes(to)) {
          catalogs.set(catalog, {
            ...current,
            shared_with: current.shared_with.filter((x) => x !== to),
            applied_seq: seq,
          });
        }
      }
    }
  }
  const PROJ_ACCOUNT: Record<string, AccountProjection> = {};
  for (const [key, a] of accounts) {
    if (a.seq === 0) continue; // never written
    PROJ_ACCOUNT[key] = {
      out_shares: a.out,
      in_shares: a.in,
      initialized_at: a.initialized_at,
      applied_seq: a.seq,
      ...(a.bound_at === undefined ? {} : { bound_context: { bound_at: a.bound_at } }),
    };
  }
  return {
    PROJ_ACCOUNT,
    PROJ_CATALOG: Object.fromEntries(catalogs),
    PROJ_STATS: stats.applied_seq === 0 ? {} : { [STATS_KEY]: stats },
  };
}
