import { NatsterError, toBase64Url } from "@natster/protocol";

type Issued = { expires: number; source: string };

/**
 * Issued nonces, each good for one request within its time to live. The book never evicts an
 * issued nonce to make room: when a source holds its share, or the book is full, it refuses the
 * new request instead, so a flood cannot invalidate someone else's in-flight `init`.
 */
export class NonceBook {
  readonly #issued = new Map<string, Issued>();
  readonly #perSource = new Map<string, number>();

  constructor(
    readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
    private readonly random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n)),
    private readonly capacity = 10_000,
    private readonly perSourceCapacity = 64,
  ) {}

  get size(): number {
    return this.#issued.size;
  }

  issue(source = "unattributed"): string {
    this.#sweep();
    if ((this.#perSource.get(source) ?? 0) >= this.perSourceCapacity) {
      throw new NatsterError(
        "NONCE_RATE_LIMITED",
        `this source already holds ${this.perSourceCapacity} unused nonces; use them or wait ${this.ttlMs / 1000} s`,
      );
    }
    if (this.#issued.size >= this.capacity) {
      throw new NatsterError(
        "NONCE_BOOK_FULL",
        "the authority holds as many unused nonces as it may; retry in a few seconds",
      );
    }
    const nonce = toBase64Url(this.random(24));
    this.#issued.set(nonce, { expires: this.now() + this.ttlMs, source });
    this.#perSource.set(source, (this.#perSource.get(source) ?? 0) + 1);
    return nonce;
  }

  /** True exactly once for a nonce that was issued and has not expired. */
  consume(nonce: string): boolean {
    const issued = this.#issued.get(nonce);
    if (!issued) return false;
    this.#forget(nonce, issued);
    return issued.expires > this.now();
  }

  #forget(nonce: string, issued: Issued): void {
    this.#issued.delete(nonce);
    const left = (this.#perSource.get(issued.source) ?? 1) - 1;
    if (left > 0) this.#perSource.set(issued.source, left);
    else this.#perSource.delete(issued.source);
  }

  #sweep(): void {
    const now = this.now();
    // Issued in time order with one TTL, so the expired ones are at the front.
    for (const [nonce, issued] of this.#issued) {
      if (issued.expires > now) break;
      this.#forget(nonce, issued);
    }
  }
}
