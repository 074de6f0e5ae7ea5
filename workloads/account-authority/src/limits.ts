import type { RateLimit } from "@natster/node-kit";

/**
 * The authority's abuse limits (SECURITY.md lists them). A connection and a source address are
 * what nats-server writes in the `Nats-Request-Info` header when a public caller crosses the
 * `natster.authority.>` import (shared client info), so a caller cannot choose them.
 */
export const NONCES_PER_CONNECTION: RateLimit = { max: 30, windowMs: 10_000 };
export const NONCES_PER_SOURCE: RateLimit = { max: 120, windowMs: 10_000 };
/** Unused nonces one source may hold at once; a flood from one source cannot fill the book. */
export const NONCES_OUTSTANDING_PER_SOURCE = 64;
/** Unused nonces the book holds in all; when full it refuses new ones and never drops an issued one. */
export const NONCE_BOOK_CAPACITY = 10_000;

export type AuthorityLimits = {
  noncesPerConnection: RateLimit;
  noncesPerSource: RateLimit;
  outstandingPerSource: number;
  bookCapacity: number;
};

export const AUTHORITY_LIMITS: AuthorityLimits = {
  noncesPerConnection: NONCES_PER_CONNECTION,
  noncesPerSource: NONCES_PER_SOURCE,
  outstandingPerSource: NONCES_OUTSTANDING_PER_SOURCE,
  bookCapacity: NONCE_BOOK_CAPACITY,
};
