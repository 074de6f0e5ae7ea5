import { toBase64Url } from "@natster/protocol";

/** Issued nonces, each good for one request within its time to live. */
export class NonceBook {
  readonly #issued = new Map<string, number>();

  constructor(
    readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
    private readonly random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n)),
    private readonly capacity = 10_000,
  ) {}

  issue(): string {
    this.#sweep();
    if (this.#issued.size >= this.capacity) {
      const oldest = this.#issued.keys().next().value;
      if (oldest !== undefined) this.#issued.delete(oldest);
    }
    const nonce = toBase64Url(this.random(24));
    this.#issued.set(nonce, this.now() + this.ttlMs);
    return nonce;
  }

  /** True exactly once for a nonce that was issued and has not expired. */
  consume(nonce: string): boolean {
    const expires = this.#issued.get(nonce);
    this.#issued.delete(nonce);
    return expires !== undefined && expires > this.now();
  }

  #sweep(): void {
    const now = this.now();
    for (const [nonce, expires] of this.#issued) if (expires <= now) this.#issued.delete(nonce);
  }
}
