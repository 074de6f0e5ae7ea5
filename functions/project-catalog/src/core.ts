import type { CatalogProjection } from "@natster/protocol";
import type { ProjectedEvent } from "../../_lib/src/triggered-event.ts";

/** Only shares and unshares concern PROJ_CATALOG; every other event is acknowledged and ignored. */
export const concernsCatalogs = (e: ProjectedEvent): boolean =>
  e.type === "catalog_shared" || e.type === "catalog_unshared";

/**
 * PROJ_CATALOG[catalog]: the owner (first sharer) and the accounts it is shared with. Only the
 * owner's events change it, and an unshare really removes (upstream bug 12). Returns the value to
 * write, or undefined for nothing (already applied, or no change).
 */
export function planCatalogWrite(
  e: ProjectedEvent,
  current: CatalogProjection | undefined,
): CatalogProjection | undefined {
  if (!concernsCatalogs(e) || e.from === e.to) return undefined;
  if (current && current.applied_seq >= e.seq) return undefined;
  const owner = current?.owner ?? e.from;
  const sharedWith = current?.shared_with ?? [];
  if (owner !== e.from) return undefined;
  const present = sharedWith.includes(e.to);
  if (e.type === "catalog_shared") {
    return present ? undefined : catalog(e, owner, [...sharedWith, e.to]);
  }
  return present
    ? catalog(
        e,
        owner,
        sharedWith.filter((a) => a !== e.to),
      )
    : undefined;
}

/** A fixed key order, so a rebuild writes the same bytes. The owner keeps the name after its last unshare. */
const catalog = (e: ProjectedEvent, owner: string, shared_with: string[]): CatalogProjection => ({
  catalog_name: e.catalog,
  owner,
  shared_with,
  applied_seq: e.seq,
});

/** A catalog being changed in memory: its accounts as an insertion-ordered set (an unshare removes, a share appends). */
type Working = { owner: string; shared: Set<string>; applied_seq: number };

/**
 * A batch applied in memory: each catalog read once (`read`), one write per changed catalog. The
 * same rules as planCatalogWrite, event by event, without a new list per event.
 */
export function planCatalogBatch(
  events: readonly ProjectedEvent[],
  read: (catalog: string) => CatalogProjection | undefined,
): CatalogProjection[] {
  const catalogs = new Map<string, Working | undefined>();
  const changed = new Set<string>();
  for (const e of events) {
    if (!concernsCatalogs(e) || e.from === e.to) continue;
    let w = catalogs.get(e.catalog);
    if (w === undefined && !catalogs.has(e.catalog)) {
      const stored = read(e.catalog);
      w = stored && { owner: stored.owner, shared: new Set(stored.shared_with), applied_seq: stored.applied_seq };
      catalogs.set(e.catalog, w);
    }
    if (w && w.applied_seq >= e.seq) continue;
    if ((w?.owner ?? e.from) !== e.from) continue;
    const present = w?.shared.has(e.to) ?? false;
    if (e.type === "catalog_shared" ? present : !present) continue;
    if (!w) catalogs.set(e.catalog, (w = { owner: e.from, shared: new Set(), applied_seq: e.seq }));
    if (e.type === "catalog_shared") w.shared.add(e.to);
    else w.shared.delete(e.to);
    w.applied_seq = e.seq;
    changed.add(e.catalog);
  }
  return [...changed].map((name) => {
    const w = catalogs.get(name) as Working;
    return { catalog_name: name, owner: w.owner, shared_with: [...w.shared], applied_seq: w.applied_seq };
  });
}
