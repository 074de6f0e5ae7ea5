/**
 * The messages an ordered pinned instance holds, by stream sequence. The server redelivers in no
 * particular order (after a failover, or a nak), so a batch is taken only once this instance holds
 * every message the consumer has out (`pending`), or a whole batch of the sequences right after the
 * ack floor (`runAfter`), and then from the lowest sequence up: nothing delivered earlier can still
 * be on its way, so nothing is applied before an earlier event.
 */
export class OrderedHold<T> {
  readonly #bySeq = new Map<number, T>();

  constructor(private readonly seqOf: (item: T) => number) {}

  get size(): number {
    return this.#bySeq.size;
  }

  /** Adds what arrived; a message delivered again replaces the copy held (its ack is the live one). */
  add(items: readonly T[]): void {
    for (const item of items) this.#bySeq.set(this.seqOf(item), item);
  }

  /** True when every message the consumer has out is here. */
  complete(pending: number): boolean {
    return this.#bySeq.size > 0 && this.#bySeq.size >= pending;
  }

  /**
   * How many messages right after `ackFloor` (the stream sequence below which the consumer has
   * every message acked) are here without a gap: those are the lowest the consumer can still
   * deliver, so a batch of them is in order even while later ones are still arriving.
   */
  runAfter(ackFloor: number): number {
    let n = 0;
    while (this.#bySeq.has(ackFloor + n + 1)) n++;
    return n;
  }

  /** The last message of the run right after `ackFloor` (runAfter), if any. */
  runEnd(ackFloor: number): T | undefined {
    return this.#bySeq.get(ackFloor + this.runAfter(ackFloor));
  }

  /**
   * The `count` messages right after stream sequence `after`, removed, if all are here and nothing
   * at or below `after` is; else none (and nothing is taken). With the batch ending at `after` in
   * the functions' hands, these are the next batch whatever else is still on its way. Fewer than
   * `count` are taken when they are all that is held and the last of them was the consumer's last
   * (`wasLast`: nothing was pending behind it when it was delivered).
   */
  takeRunAfter(after: number, count: number, wasLast?: (item: T) => boolean): T[] {
    const run = this.runAfter(after);
    const end = this.#bySeq.get(after + run);
    const allThere = run > 0 && run === this.#bySeq.size && end !== undefined && wasLast?.(end) === true;
    if (run < count && !allThere) return [];
    for (const seq of this.#bySeq.keys()) if (seq <= after) return [];
    return this.takeLowest(Math.min(run, count));
  }

  /** Removes and returns up to `max` messages, lowest stream sequence first. */
  takeLowest(max: number): T[] {
    const seqs = [...this.#bySeq.keys()].sort((a, b) => a - b).slice(0, max);
    return seqs.map((seq) => {
      const item = this.#bySeq.get(seq) as T;
      this.#bySeq.delete(seq);
      return item;
    });
  }

  /** Removes and returns everything held. */
  release(): T[] {
    const all = [...this.#bySeq.values()];
    this.#bySeq.clear();
    return all;
  }

  all(): T[] {
    return [...this.#bySeq.values()];
  }
}
