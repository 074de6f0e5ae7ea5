import type { CatalogShareSummary } from "@natster/protocol";

/** Bounds how late a revocation made elsewhere is seen; `natster catalog unshare` invalidates at once. */
export const DEFAULT_AUTH_CACHE_MS = 1000;

export type ShareAuthorizerOptions = {
  /** The owner's `natster.global.my.shares`; any rejection denies. */
  fetchShares: () => Promise<CatalogShareSummary[]>;
  owner: string;
  catalog: string;
  /** How long one share list is trusted; a revoked share is refused at most this long after. */
  cacheMs?: number;
  now?: () => number;
};

export type ShareAuthorizer = {
  isAllowed(requester: string): Promise<boolean>;
  /** Forgets the share list: the next check asks the global service (after a share or unshare). */
  invalidate(): void;
};

/**
 * Decides whether an importer may use this catalog: only if the owner's share list has an
 * out-share of this catalog to that account. Lists are cached for `cacheMs`, concurrent lookups
 * share one request, and failures are never cached (the next request asks again). A lookup that
 * started before `invalidate()` is never used after it.
 */
export function createShareAuthorizer(opts: ShareAuthorizerOptions): ShareAuthorizer {
  const cacheMs = opts.cacheMs ?? DEFAULT_AUTH_CACHE_MS;
  const now = opts.now ?? Date.now;
  let cached: { at: number; allowed: Set<string> } | undefined;
  let inFlight: { generation: number; list: Promise<Set<string>> } | undefined;
  let generation = 0;

  const load = (): Promise<Set<string>> => {
    if (inFlight?.generation === generation) return inFlight.list;
    const mine = generation;
    const list = opts
      .fetchShares()
      .then((shares) => {
        const allowed = new Set(shares.filter((s) => s.from_account === opts.owner && s.catalog.toLowerCase() === opts.catalog).map((s) => s.to_account));
        if (mine === generation) cached = { at: now(), allowed };
        return allowed;
      })
      .finally(() => {
        if (inFlight?.list === list) inFlight = undefined;
      });
    inFlight = { generation: mine, list };
    return list;
  };

  return {
    async isAllowed(requester) {
      try {
        const allowed = cached && now() - cached.at < cacheMs ? cached.allowed : await load();
        return allowed.has(requester);
      } catch {
        return false;
      }
    },
    invalidate() {
      generation++;
      cached = undefined;
    },
  };
}
