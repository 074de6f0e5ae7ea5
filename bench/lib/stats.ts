/** Small statistics for noisy machines: medians of alternated runs, nearest-rank percentiles. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export const round = (value: number, digits = 3): number => {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/**
 * Runs `a` and `b` `pairs` times each, alternating the order every pair (AB, BA, AB, …) so that
 * drift on a shared machine (thermal, neighbours, page cache) hits both sides alike.
 */
export async function alternate<T>(
  pairs: number,
  a: () => Promise<T>,
  b: () => Promise<T>,
): Promise<{ a: T[]; b: T[] }> {
  const as: T[] = [];
  const bs: T[] = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      as.push(await a());
      bs.push(await b());
    } else {
      bs.push(await b());
      as.push(await a());
    }
  }
  return { a: as, b: bs };
}

/**
 * The median of the per-pair ratios a[i] / b[i] of an alternate() run. Each pair ran side by side,
 * so a neighbour's burst hits both of its sides; the median then drops the pairs a burst split.
 * Steadier on a shared machine than the ratio of the two medians, which may come from different pairs.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): { ratio: number; ratios: number[] } {
  if (a.length !== b.length) throw new Error(`pairedRatio: ${a.length} values against ${b.length} baselines`);
  const ratios = a.map((v, i) => v / b[i]!);
  return { ratio: median(ratios), ratios };
}

/** Seconds since `start` (a performance.now() reading). */
export const secondsSince = (start: number): number => (performance.now() - start) / 1000;
