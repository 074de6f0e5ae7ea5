import type { ShareNotification } from "@natster/protocol";
import { catalogKey, newlySharedCatalog, type SharedCatalog } from "./library-model.ts";

/** A live share or unshare the page heard, by catalog key, kept until `my.shares` says the same. */
export type ShareChanges = Record<string, { shared: boolean; change: ShareNotification }>;

export const recordChange = (changes: ShareChanges, change: ShareNotification, shared: boolean): ShareChanges => ({
  ...changes,
  [catalogKey(change.from_account, change.catalog)]: { shared, change },
});

/**
 * The global service sends the live notice before the projection behind `my.shares` has it, and
 * the page reloads `my.shares` on that notice: a reply that still says otherwise is stale, so the
 * notice wins until a reply agrees (then the change is forgotten).
 */
export function reconcile(
  loaded: SharedCatalog[],
  changes: ShareChanges,
  previous: readonly SharedCatalog[] = [],
): { shared: SharedCatalog[]; changes: ShareChanges } {
  let shared = loaded;
  const pending: ShareChanges = {};
  for (const [key, { shared: isShared, change }] of Object.entries(changes)) {
    const listed = shared.some((c) => c.key === key);
    if (listed === isShared) continue;
    pending[key] = { shared: isShared, change };
    shared = isShared
      ? [...shared, previous.find((c) => c.key === key) ?? newlySharedCatalog(change)]
      : shared.filter((c) => c.key !== key);
  }
  return { shared: shared.sort((a, b) => a.catalog.localeCompare(b.catalog)), changes: pending };
}
