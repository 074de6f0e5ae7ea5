/** Chunks in a transfer of `length` bytes; a zero-byte transfer still sends one (empty, final) chunk. */
export const chunkCount = (length: number, chunkSize: number): number => Math.max(1, Math.ceil(length / chunkSize));

/** The file bytes chunk `index` carries (plain numbers: exact far beyond 4 GiB). */
export function chunkSpan(
  range: { offset: number; length: number; chunkSize: number },
  index: number,
): { offset: number; length: number } {
  const start = index * range.chunkSize;
  return { offset: range.offset + start, length: Math.max(0, Math.min(range.chunkSize, range.length - start)) };
}

/** A receiver grants new credit every half window, so the sender never drains its window while waiting. */
export const creditInterval = (window: number): number => Math.max(1, Math.floor(window / 2));

/**
 * The sender's view of receiver credit: chunk `index` may go out once `index < limit`.
 * The limit only grows, so a late or duplicated credit message never shrinks the window.
 */
export class CreditWindow {
  private limitValue: number;

  constructor(
    initialCredit: number,
    private readonly maxCredit: number,
  ) {
    this.limitValue = Math.min(initialCredit, maxCredit);
  }

  get limit(): number {
    return this.limitValue;
  }

  allows(index: number): boolean {
    return index < this.limitValue;
  }

  /** Applies a credit message; `received` cannot exceed what was actually `sent`. */
  grant(received: number, credit: number, sent: number): void {
    const acknowledged = Math.min(Math.max(0, received), sent);
    const next = acknowledged + Math.min(Math.max(0, credit), this.maxCredit);
    if (next > this.limitValue) this.limitValue = next;
  }
}
