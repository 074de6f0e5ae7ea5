import type { RateLimit } from "@natster/node-kit";

/**
 * The authority's abuse limits (SECURITY.md lists them). A connection and a source address are
 * what nats-server writes in the `Nats-Request-Info` header when a public caller crosses the
 * `natster.authority.>` import (shared client info), so a caller cannot choose them.
 */
export type AuthorityLimits = {
  noncesPerConnection: RateLimit;
  noncesPerSource: RateLimit;
  /** Unused nonces one source may hold at once; a flood from one source cannot fill the book. */
  outstandingPerSource: number;
  /** Unused nonces the book holds in all; when full it refuses new ones and never drops an issued one. */
  bookCapacity: number;
};

export const AUTHORITY_LIMITS: AuthorityLimits = {
  noncesPerConnection: { max: 30, windowMs: 10_000 },
  noncesPerSource: { max: 120, windowMs: 10_000 },
  outstandingPerSource: 64,
  bookCapacity: 10_000,
};
