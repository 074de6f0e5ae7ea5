import type { CatalogShareSummary } from "@natster/protocol";

export const DEFAULT_AUTH_CACHE_MS = 3000;

export type ShareAuthorizerOptions = {
  /** The owner's `natster.global.my.shares`; any rejection denies. */
  fetchShares: () => Promise<CatalogShareSummary[]>;
  owner: string;
  catalog: string;
  /** How long one share list is trusted; a revoked share is refused at most this long after. */
  cacheMs?: number;
  now?: () => number;
};

export type ShareAuthorizer = { isAllowed(requester: string): Promise<boolean> };

/**
 * Decides whether an importer may use this catalog: only if the owner's share list has an
 * out-share of this catalog to that account. Lists are cached for `cacheMs`, concurrent lookups
 * share one request, and failures are never cached (the next request asks again).
 */
export function createShareAuthorizer(opts: ShareAuthorizerOptions): ShareAuthorizer {
  const cacheMs = opts.cacheMs ?? DEFAULT_AUTH_CACHE_MS;
  const now = opts.now ?? Date.now;
  let cached: { at: number; allowed: Set<string> } | undefined;
  let inFlight: Promise<Set<string>> | undefined;

  const load = (): Promise<Set<string>> => {
    inFlight ??= opts
      .fetchShares()
      .then((shares) => {
        const allowed = new Set(
          shares
            .filter((s) => s.from_account === opts.owner && s.catalog.toLowerCase() === opts.catalog)
            .map((s) => s.to_account),
        );
        cached = { at: now(), allowed };
        return allowed;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
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
  };
}
