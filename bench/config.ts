import type { Mode, Sizes } from "./lib/types.ts";

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** Sizes per mode: `--quick` keeps every key and shrinks the data (≈ 2–5 minutes on a 2-core machine; `npm test`'s smoke shrinks it further with `--size`, scripts/test.sh). */
export const SIZES: Record<Mode, Sizes> = {
  full: {
    transferBytes: GiB,
    transferPairs: 5,
    sweepChunksKiB: [16, 32, 64, 128, 256, 512],
    sweepBytes: 128 * MiB,
    sweepRounds: 2,
    upstreamBytes: 16 * MiB,
    upstreamPairs: 3,
    hashBytes: GiB,
    hashFiles: 256,
    hashPairs: 3,
    fnRequests: 2000,
    fnBlocks: 20,
    fnNodesRequests: 4000,
    fnNodesConcurrency: 32,
    projectionEvents: 100_000,
    projectionAccounts: 1000,
    listEntries: 100_000,
    listRealFiles: true,
    listRepeats: 3,
    rssBytes: GiB,
    rssReceivers: 10,
    webRepeats: 5,
    shareRounds: 50,
    webDownloadPairs: 3,
  },
  quick: {
    transferBytes: 128 * MiB,
    transferPairs: 6,
    sweepChunksKiB: [16, 32, 64, 128, 256, 512],
    sweepBytes: 16 * MiB,
    sweepRounds: 1,
    upstreamBytes: 2 * MiB,
    upstreamPairs: 1,
    hashBytes: 128 * MiB,
    hashFiles: 64,
    hashPairs: 2,
    fnRequests: 500,
    fnBlocks: 10,
    fnNodesRequests: 1000,
    fnNodesConcurrency: 32,
    // A rebuild starts a fresh bridge (process start, JIT warm-up: ≈ 0.5 s before its first call
    // ends) while the raw baseline is warm: at 20,000 events that start was a third of the replay.
    projectionEvents: 50_000,
    projectionAccounts: 100,
    listEntries: 100_000,
    listRealFiles: false,
    listRepeats: 1,
    rssBytes: 32 * MiB,
    rssReceivers: 10,
    webRepeats: 2,
    shareRounds: 20,
    webDownloadPairs: 2,
  },
};
