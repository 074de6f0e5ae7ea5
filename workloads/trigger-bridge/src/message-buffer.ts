/** A queue between a producer loop and a consumer taking everything that has arrived, in order. */
export class MessageBuffer<T> {
  #items: T[] = [];
  #ended = false;
  #wake: (() => void) | undefined;

  push(item: T): void {
    this.#items.push(item);
    this.#signal();
  }

  end(): void {
    this.#ended = true;
    this.#signal();
  }

  /** Waits for at least one item and returns up to `max` of them; undefined once ended and empty. */
  async take(max: number): Promise<T[] | undefined> {
    while (this.#items.length === 0) {
      if (this.#ended) return undefined;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    return this.#items.splice(0, max);
  }

  /** Returns everything that has arrived, without waiting; undefined once ended and empty. */
  drain(): T[] | undefined {
    if (this.#items.length === 0 && this.#ended) return undefined;
    return this.#items.splice(0);
  }

  /** `count` items if that many are already there, without waiting; else none (and nothing is taken). */
  takeFull(count: number): T[] {
    return this.#items.length >= count ? this.#items.splice(0, count) : [];
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
