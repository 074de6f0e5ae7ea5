import { NatsterError, type CatalogShareSummary } from "@natster/protocol";
import { setTimeout as sleep } from "node:timers/promises";

/** Bounds how late a revocation made elsewhere is seen; `natster catalog unshare` invalidates at once. */
export const DEFAULT_AUTH_CACHE_MS = 1000;
/** How long a transfer in flight waits for the share list to be readable again (a server fail-over takes a moment). */
export const DEFAULT_RECHECK_PATIENCE_MS = 15_000;
const RECHECK_RETRY_MS = 250;

export type ShareAuthorizerOptions = {
  /** The owner's `natster.global.my.shares`; any rejection denies. */
  fetchShares: () => Promise<CatalogShareSummary[]>;
  owner: string;
  catalog: string;
  /** How long one share list is trusted; a revoked share is refused at most this long after. */
  cacheMs?: number;
  now?: () => number;
  /** How long `recheck` retries a failing lookup before it gives up; default DEFAULT_RECHECK_PATIENCE_MS. */
  recheckPatienceMs?: number;
  /** Waits between `recheck` retries (tests pass a fake). */
  pause?: (ms: number) => Promise<unknown>;
};

export type ShareAuthorizer = {
  /** A new request: denied when the share list cannot be read. */
  isAllowed(requester: string): Promise<boolean>;
  /**
   * A transfer in flight: the same decision, but a list that cannot be read (the global service
   * is failing over) is asked again until it can, and after the patience runs out the lookup
   * fails with TIMEOUT. A failed lookup is never taken for a revocation.
   */
  recheck(requester: string): Promise<boolean>;
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
        const allowed = new Set(
          shares
            .filter((s) => s.from_account === opts.owner && s.catalog.toLowerCase() === opts.catalog)
            .map((s) => s.to_account),
        );
        if (mine === generation) cached = { at: now(), allowed };
        return allowed;
      })
      .finally(() => {
        if (inFlight?.list === list) inFlight = undefined;
      });
    inFlight = { generation: mine, list };
    return list;
  };

  const current = async (requester: string) =>
    (cached && now() - cached.at < cacheMs ? cached.allowed : await load()).has(requester);
  const patience = opts.recheckPatienceMs ?? DEFAULT_RECHECK_PATIENCE_MS;
  const pause = opts.pause ?? sleep;

  return {
    async isAllowed(requester) {
      try {
        return await current(requester);
      } catch {
        return false;
      }
    },
    async recheck(requester) {
      const deadline = now() + patience;
      for (;;) {
        try {
          return await current(requester);
        } catch (e) {
          if (now() >= deadline)
            throw new NatsterError(
              "TIMEOUT",
              `could not read the owner's shares for ${Math.round(patience / 1000)} s: ${(e as Error).message}`,
            );
          await pause(RECHECK_RETRY_MS);
        }
      }
    },
    invalidate() {
      generation++;
      cached = undefined;
    },
  };
}
