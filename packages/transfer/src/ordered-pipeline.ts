/**
 * Runs async steps concurrently and hands their results back in the order they were started, so
 * the crypto of chunk n+1 overlaps the I/O of chunk n while order (and so which chunk is final)
 * never depends on which step happens to finish first.
 */
export class OrderedPipeline<T> {
  private readonly pending: Promise<T>[] = [];

  constructor(readonly depth: number) {
    if (!Number.isSafeInteger(depth) || depth < 1)
      throw new RangeError(`pipeline depth ${depth} is not a positive integer`);
  }

  get size(): number {
    return this.pending.length;
  }

  get full(): boolean {
    return this.pending.length >= this.depth;
  }

  /** Starts `step` now; its result comes out of `take()` after those of every step started before it. */
  push(step: () => Promise<T>): void {
    if (this.full) throw new RangeError(`the pipeline already runs ${this.depth} steps`);
    const result = step();
    // A failure surfaces from take(), in order; until then it must not count as unhandled.
    result.catch(() => undefined);
    this.pending.push(result);
  }

  /** The oldest step's result (or its error); undefined when no step is pending. */
  take(): Promise<T> | undefined {
    return this.pending.shift();
  }

  /** Forgets every pending step (the transfer ended); their results and errors are dropped. */
  clear(): void {
    this.pending.length = 0;
  }
}

/**
 * How many chunks a sender starts preparing (read + encrypt) now: those the receiver's credit
 * already allows, beyond the ones prepared, without running more than `depth` at once.
 */
export function chunksToPrepare(state: {
  prepared: number;
  total: number;
  creditLimit: number;
  inFlight: number;
  depth: number;
}): number {
  const byCredit = Math.min(state.total, state.creditLimit) - state.prepared;
  return Math.max(0, Math.min(byCredit, state.depth - state.inFlight));
}
