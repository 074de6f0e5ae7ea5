import { DEFAULT_CHUNK_SIZE, DEFAULT_CREDIT } from "@natster/protocol";
import { KiB, MiB } from "../config.ts";
import { median, pairedRatio, percentile, round } from "./stats.ts";
import type { Measurement, Target } from "./types.ts";

export type Comparison = {
  key: string;
  unit: string;
  baselineLabel: string;
  /** The measured runs and the baseline's, as alternate() took them. */
  a: readonly number[];
  b: readonly number[];
  target: Target;
  /** Decimals of the value and its samples (default 1), of the baseline and its samples (default: the value's). */
  digits?: number;
  baselineDigits?: number;
  /** The ratio when it is not median(a) / median(b) rounded to 3 decimals (a paired ratio, another rounding). */
  ratio?: number;
  extra?: Measurement["extra"];
  notes?: string[];
};

/** A figure against its baseline: the medians of alternated runs, every sample kept. */
export function compared(c: Comparison): Measurement {
  const digits = c.digits ?? 1;
  const baselineDigits = c.baselineDigits ?? digits;
  const value = median(c.a);
  const baseline = median(c.b);
  return {
    key: c.key,
    value: round(value, digits),
    unit: c.unit,
    baselineLabel: c.baselineLabel,
    baseline: round(baseline, baselineDigits),
    baselineUnit: c.unit,
    ratio: c.ratio ?? round(value / baseline),
    target: c.target,
    samples: { value: c.a.map((v) => round(v, digits)), baseline: c.b.map((v) => round(v, baselineDigits)) },
    ...(c.extra ? { extra: c.extra } : {}),
    ...(c.notes ? { notes: c.notes } : {}),
  };
}

/**
 * Two transfers of one file in MiB/s, judged by the median of per-pair ratios; the extra figures
 * name the file, chunk and window and carry `cpu` (CPU ms per MiB of each side).
 */
export function comparedTransfers(
  c: Omit<Comparison, "unit" | "ratio" | "extra"> & { fileBytes: number; pairs: number; cpu: Record<string, number> },
): Measurement {
  const paired = pairedRatio(c.a, c.b);
  return compared({
    ...c,
    unit: "MiB/s",
    ratio: round(paired.ratio),
    extra: {
      file_mib: c.fileBytes / MiB,
      chunk_kib: DEFAULT_CHUNK_SIZE / KiB,
      window: DEFAULT_CREDIT,
      pairs: c.pairs,
      pair_ratios: paired.ratios.map((r) => round(r)).join(" "),
      ratio_of_medians: round(median(c.a) / median(c.b)),
      ...c.cpu,
    },
  });
}

/** A latency's p99 over rounds against a fixed target in ms (at most 1× the target). */
export function p99AgainstTarget(m: {
  key: string;
  samples: readonly number[];
  targetMs: number;
  extra: Measurement["extra"];
  notes: string[];
}): Measurement {
  const p99 = percentile(m.samples, 99);
  return {
    key: m.key,
    value: round(p99, 1),
    unit: "ms",
    baselineLabel: "the target",
    baseline: m.targetMs,
    baselineUnit: "ms",
    ratio: round(p99 / m.targetMs, 4),
    target: { kind: "max", value: 1 },
    samples: { value: m.samples.map((v) => round(v, 1)) },
    extra: { ...m.extra, p50_ms: round(percentile(m.samples, 50), 1) },
    notes: m.notes,
  };
}
