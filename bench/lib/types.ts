import type { TempSpace } from "./temp.ts";
import type { World } from "./world.ts";

export type Mode = "quick" | "full";

/**
 * What a figure is judged against. Pass/fail is information only: the suite never fails on a timing.
 * - "min": the ratio must be at least `value`; "max": at most `value` (lower is better);
 * - "report": no target, the figure is reported;
 * - "bounded": the measurement's own `bounded` check decides (e.g. memory does not grow with file size).
 */
export type Target =
  | { kind: "min"; value: number }
  | { kind: "max"; value: number }
  | { kind: "report"; note?: string }
  | { kind: "bounded"; note: string };

export type Measurement = {
  key: string;
  /** The figure, or why it could not be taken ("unavailable: …", "crashed: …"). */
  value: number | string;
  unit: string;
  /** What the baseline is, in words. */
  baselineLabel: string;
  baseline?: number;
  baselineUnit?: string;
  /** value / baseline (for latencies and times: lower is better). */
  ratio?: number;
  target: Target;
  /** For "bounded" targets: did the bound hold. */
  bounded?: boolean;
  /** Every sample, so a reader can judge the spread. */
  samples?: { value: number[]; baseline?: number[] };
  /** Other figures worth keeping (sizes, repetitions, secondary ratios). */
  extra?: Record<string, number | string | boolean>;
  notes?: string[];
};

export type DataFile = { path: string; size: number; hash: string };

/** A chunk-size sweep point for the plot. */
export type SweepPoint = { chunkKiB: number; cipher: "aes-256-gcm" | "none"; mibPerSecond: number; samples: number[] };

export type BenchContext = {
  mode: Mode;
  sizes: Sizes;
  temp: TempSpace;
  /** A random file of `size` bytes, generated once per run and shared by the benchmarks that need it. */
  file(name: string, size: number): DataFile;
  /** The NATSTER_HOME that holds the run's catalogs. */
  home: string;
  /** The shared stack (started on first use). */
  world(): Promise<World>;
  log(line: string): void;
  /** Where the chunk-size sweep leaves its points (the transfer benchmark fills it). */
  sweep: SweepPoint[];
};

export type Bench = {
  /** Key prefix used by --only. */
  name: string;
  keys: readonly string[];
  run(ctx: BenchContext): Promise<Measurement[]>;
};

export type Sizes = {
  transferBytes: number;
  transferPairs: number;
  sweepChunksKiB: readonly number[];
  sweepBytes: number;
  sweepRounds: number;
  upstreamBytes: number;
  upstreamPairs: number;
  hashBytes: number;
  hashFiles: number;
  hashPairs: number;
  fnRequests: number;
  fnBlocks: number;
  /** fn.throughput_2_nodes_vs_1: requests per block (four blocks: one node, two, two, one) and callers at once. */
  fnNodesRequests: number;
  fnNodesConcurrency: number;
  projectionEvents: number;
  projectionAccounts: number;
  listEntries: number;
  /** Create the listed files on disk (full); quick writes only the catalog file (the frozen server never reads the files). */
  listRealFiles: boolean;
  listRepeats: number;
  rssBytes: number;
  rssReceivers: number;
  webRepeats: number;
  /** share/unshare rounds of share.visible_p99_ms and revoke.refused_p99_ms. */
  shareRounds: number;
  /** Browser/CLI download pairs of the 512 MiB file (web.download_*). */
  webDownloadPairs: number;
};
