/** mulberry32: a small seeded PRNG, so a failing generated case (or a bench's input) can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The seed of a fuzz run: NATSTER_FUZZ_SEED=<seed> replays a failing one. */
export const fuzzSeed = (): number => Number(process.env.NATSTER_FUZZ_SEED ?? Date.now() % 2 ** 31);
