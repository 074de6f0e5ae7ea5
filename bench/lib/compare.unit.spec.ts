import { describe, expect, it } from "vitest";
import { compared, comparedTransfers, p99AgainstTarget } from "./compare.ts";

describe("bench comparisons", () => {
  it("given alternated runs, when compared, then value and baseline are the medians and the ratio is theirs", () => {
    const m = compared({
      key: "hash.x",
      unit: "MiB/s",
      baselineLabel: "sha256sum",
      a: [100, 300, 200],
      b: [400, 400, 100],
      target: { kind: "min", value: 0.8 },
    });
    expect(m).toEqual({
      key: "hash.x",
      value: 200,
      unit: "MiB/s",
      baselineLabel: "sha256sum",
      baseline: 400,
      baselineUnit: "MiB/s",
      ratio: 0.5,
      target: { kind: "min", value: 0.8 },
      samples: { value: [100, 300, 200], baseline: [400, 400, 100] },
    });
  });

  it("given two transfers, when compared, then the ratio is the median of the per-pair ratios and the cpu figures close the extra", () => {
    const m = comparedTransfers({
      key: "t",
      baselineLabel: "raw",
      a: [90, 50, 100],
      b: [100, 100, 100],
      target: { kind: "min", value: 0.9 },
      fileBytes: 2 ** 21,
      pairs: 3,
      cpu: { server_cpu: 1.5 },
    });
    expect(m.ratio).toBe(0.9);
    expect(m.extra).toMatchObject({
      file_mib: 2,
      pairs: 3,
      pair_ratios: "0.9 0.5 1",
      ratio_of_medians: 0.9,
      server_cpu: 1.5,
    });
    expect(Object.keys(m.extra!).at(-1)).toBe("server_cpu");
  });

  it("given latencies, when held against a target, then the p99 is the value and the p50 joins the extra", () => {
    const m = p99AgainstTarget({
      key: "share.visible_p99_ms",
      samples: [10, 20, 30, 40],
      targetMs: 80,
      extra: { rounds: 4 },
      notes: ["n"],
    });
    expect(m).toMatchObject({
      value: 40,
      ratio: 0.5,
      baseline: 80,
      target: { kind: "max", value: 1 },
      extra: { rounds: 4, p50_ms: 20 },
      samples: { value: [10, 20, 30, 40] },
    });
  });
});
