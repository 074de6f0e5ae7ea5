import { catalogKey, shortKey, type LibraryState, type SharedCatalog } from "./library-model.ts";

/** The one state a catalog shared with me is in; the list and the catalog view show the same. */
export type ShareState = "not-imported" | "online" | "offline" | "revoked";

export const SHARE_STATE_LABEL: Record<ShareState, string> = {
  "not-imported": "not imported",
  online: "online",
  offline: "offline",
  revoked: "revoked",
};

/**
 * Revoked wins (its owner withdrew it: nothing else matters), then not imported (nothing loads
 * before the import), then online or offline. `imported` undefined means nobody could tell yet
 * (no local agent): the catalog is taken as imported until something says otherwise.
 */
export function shareState(c: Pick<SharedCatalog, "imported" | "online" | "revoked">): ShareState {
  if (c.revoked) return "revoked";
  if (c.imported === false) return "not-imported";
  return c.online ? "online" : "offline";
}

/**
 * Every catalog to list under "Shared with me": the current shares, plus my imports whose share
 * was withdrawn (revoked), minus those I hid. Revoked ones need the share list loaded, else every
 * import would look revoked for a moment.
 */
export function listedShares(s: LibraryState): SharedCatalog[] {
  const hidden = new Set(s.hidden);
  const current = new Set(s.shared.map((c) => c.key));
  const revoked: SharedCatalog[] =
    s.sharesStatus.state === "ready"
      ? s.imports
          .map((i) => ({ ...i, key: catalogKey(i.from, i.catalog) }))
          .filter((i) => !current.has(i.key))
          .map((i) => ({
            key: i.key,
            from: i.from,
            catalog: i.catalog,
            online: false,
            revision: 0,
            lastSeen: 0,
            imported: true,
            revoked: true,
            fromName: s.names[i.from],
          }))
      : [];
  return [...s.shared, ...revoked]
    .filter((c) => !hidden.has(c.key))
    .sort((a, b) => a.catalog.localeCompare(b.catalog) || a.from.localeCompare(b.from));
}

/** How many leading key characters tell `key` apart from every other key in `others`. */
function distinguishingLength(key: string, others: string[]): number {
  let n = 5;
  while (n < key.length && others.some((o) => o !== key && o.slice(0, n) === key.slice(0, n))) n++;
  return n;
}

/**
 * A person's label: the name they gave at `natster init --name`, or the short key when they gave
 * none. When two accounts share a name, enough of the key is added to tell them apart. Display
 * only: access is always decided on the key.
 */
export function personLabel(
  key: string,
  name: string | undefined,
  everyone: ReadonlyArray<{ key: string; name?: string | undefined }>,
): string {
  if (!name) return shortKey(key);
  const sameName = [...new Set(everyone.filter((p) => p.name?.toLowerCase() === name.toLowerCase()).map((p) => p.key))];
  if (sameName.length < 2) return name;
  return `${name} (${key.slice(0, distinguishingLength(key, sameName))}…)`;
}

/** Labels for every sharer in `catalogs`, keyed by account key. */
export function sharerLabels(catalogs: ReadonlyArray<Pick<SharedCatalog, "from" | "fromName">>): Map<string, string> {
  const people = catalogs.map((c) => ({ key: c.from, name: c.fromName }));
  return new Map(people.map((p) => [p.key, personLabel(p.key, p.name, people)]));
}
