import { RateLimiter } from "@natster/node-kit";
import { NatsterError, type NonceReply } from "@natster/protocol";
import type { AuthorityLimits } from "./limits.ts";
import type { NonceStore } from "./nonce-store.ts";
import { NonceBook } from "./nonces.ts";
import type { RequestSource } from "./request-source.ts";

/**
 * Hands out nonces within the per-connection and per-source limits, from a book that never evicts.
 * The rate limits are each instance's own; the book (a shared bucket with several instances) bounds
 * what all of them hold together.
 */
export class NonceGate {
  readonly #perConnection: RateLimiter;
  readonly #perSource: RateLimiter;

  constructor(
    limits: AuthorityLimits,
    readonly book: NonceStore = new NonceBook(
      60_000,
      Date.now,
      undefined,
      limits.bookCapacity,
      limits.outstandingPerSource,
    ),
  ) {
    this.#perConnection = new RateLimiter(limits.noncesPerConnection);
    this.#perSource = new RateLimiter(limits.noncesPerSource);
  }

  async issue(from: RequestSource): Promise<NonceReply> {
    for (const [limiter, key, what] of [
      [this.#perConnection, from.connection, "connection"],
      [this.#perSource, from.source, "source address"],
    ] as const) {
      if (!limiter.take(key)) {
        const wait = Math.ceil(limiter.retryAfterMs(key) / 1000);
        throw new NatsterError("NONCE_RATE_LIMITED", `too many nonce requests from this ${what}; retry in ${wait} s`);
      }
    }
    return { nonce: await this.book.issue(from.source), expires_in_ms: this.book.ttlMs };
  }

  /** Throws unless the nonce was issued, is unexpired and unused; it is used up either way. */
  async consume(nonce: string): Promise<void> {
    if (!(await this.book.consume(nonce))) {
      throw new NatsterError("AUTH_NONCE_UNKNOWN", "the nonce is unknown, expired or already used; ask for a new one");
    }
  }
}
