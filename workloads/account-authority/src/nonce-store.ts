/** Where the authority keeps the nonces it issued: in memory (one instance) or a shared KV bucket (several). */
export interface NonceStore {
  readonly ttlMs: number;
  /** A fresh nonce for `source`, or a NatsterError (NONCE_RATE_LIMITED, NONCE_BOOK_FULL) when it holds too many. */
  issue(source: string): string | Promise<string>;
  /** True exactly once for a nonce that was issued and has not expired; it is used up either way. */
  consume(nonce: string): boolean | Promise<boolean>;
}
