/** At most `max` requests per key in each `windowMs` window. */
export type RateLimit = { max: number; windowMs: number };

type Window = { start: number; count: number };

/**
 * A fixed-window counter per key (a requester, a connection, a source address). Memory is bounded:
 * past `maxKeys` keys, windows that ended are dropped, then the oldest ones.
 */
export class RateLimiter {
  readonly #windows = new Map<string, Window>();

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts one request for `key`; false (and not counted) when the key is over its limit. */
  take(key: string): boolean {
    const now = this.now();
    let window = this.#windows.get(key);
    if (!window || now - window.start >= this.limit.windowMs) {
      if (!window) this.#makeRoom(now);
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    if (window.count >= this.limit.max) return false;
    window.count++;
    return true;
  }

  /** How long until `key` may ask again (0 when it may now). */
  retryAfterMs(key: string): number {
    const window = this.#windows.get(key);
    if (!window || window.count < this.limit.max) return 0;
    return Math.max(0, window.start + this.limit.windowMs - this.now());
  }

  #makeRoom(now: number): void {
    if (this.#windows.size < this.maxKeys) return;
    for (const [key, w] of this.#windows) if (now - w.start >= this.limit.windowMs) this.#windows.delete(key);
    for (const key of this.#windows.keys()) {
      if (this.#windows.size < this.maxKeys) break;
      this.#windows.delete(key);
    }
  }
}
