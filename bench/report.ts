import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MachineInfo } from "./lib/machine.ts";
import type { Measurement, Mode, SweepPoint, Target } from "./lib/types.ts";
import { PLOT_FILE, recommendChunkKiB } from "./plot.ts";

export type RunReport = {
  mode: Mode;
  command: string;
  startedAt: string;
  durationSeconds: number;
  machine: MachineInfo;
  results: Measurement[];
  sweep: SweepPoint[];
  defaultChunkKiB: number;
};

export type Status = "pass" | "fail" | "report" | "unavailable" | "crashed";

/** Pass/fail against the issue's targets: information for the reader, never a reason to fail a run. */
export function statusOf(m: Measurement): Status {
  if (typeof m.value === "string") return m.value.startsWith("crashed") ? "crashed" : "unavailable";
  const t = m.target;
  if (t.kind === "report") return "report";
  if (t.kind === "bounded") return m.bounded === undefined ? "report" : m.bounded ? "pass" : "fail";
  if (m.ratio === undefined) return "report";
  return (t.kind === "min" ? m.ratio >= t.value : m.ratio <= t.value) ? "pass" : "fail";
}

export function targetText(t: Target): string {
  switch (t.kind) {
    case "min":
      return `ratio ≥ ${t.value.toFixed(2)}`;
    case "max":
      return `ratio ≤ ${t.value.toFixed(2)} (lower is better)`;
    case "report":
      return t.note ? `report (${t.note})` : "report";
    case "bounded":
      return `bounded: ${t.note}`;
  }
}

const fmt = (v: number | undefined, unit = ""): string =>
  v === undefined
    ? "—"
    : `${Number.isInteger(v) ? v : v.toPrecision(4).replace(/\.?0+$/, "")}${unit ? ` ${unit}` : ""}`;

/** Writes `<dir>/latest.json` and `<dir>/latest.md` (the plot, `<dir>/chunk-size.svg`, is written by plot.ts). */
export function writeReport(dir: string, report: RunReport): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const recommended = recommendChunkKiB(report.sweep);
  const json = join(dir, "latest.json");
  const md = join(dir, "latest.md");
  const results = Object.fromEntries(
    report.results.map((m) => [m.key, { ...m, status: statusOf(m), target_text: targetText(m.target) }]),
  );
  const body = {
    suite: "natster bench",
    mode: report.mode,
    command: report.command,
    started_at: report.startedAt,
    duration_s: report.durationSeconds,
    machine: report.machine,
    results,
    chunk_size_sweep: {
      points: report.sweep,
      default_chunk_kib: report.defaultChunkKiB,
      recommended_chunk_kib: recommended ?? null,
      plot: PLOT_FILE,
    },
  };
  writeFileSync(json, JSON.stringify(body, null, 2) + "\n");
  writeFileSync(md, markdown(report, recommended));
  return { json, md };
}

export function resultsTable(results: readonly Measurement[]): string {
  const rows = results.map((m) => {
    const value = typeof m.value === "string" ? m.value : fmt(m.value, m.unit);
    return `| \`${m.key}\` | ${value} | ${m.baselineLabel}${m.baseline !== undefined ? `: ${fmt(m.baseline, m.baselineUnit ?? m.unit)}` : ""} | ${fmt(m.ratio)} | ${targetText(m.target)} | ${statusOf(m)} |`;
  });
  return ["| key | value | baseline | ratio | target | status |", "|---|---|---|---|---|---|", ...rows].join("\n");
}

function markdown(r: RunReport, recommended: number | undefined): string {
  const m = r.machine;
  const lines = [
    `# Natster benchmarks (${r.mode})`,
    "",
    `Run \`${r.command}\` on ${r.startedAt}, ${r.durationSeconds.toFixed(0)} s. Every figure is a ratio against a baseline measured in the same run, on the same data, alternated to cancel drift. Pass/fail is information only.`,
    "",
    "| machine | |",
    "|---|---|",
    `| CPU | ${m.cpu_model} (${m.cores} cores) |`,
    `| memory | ${m.memory_gib} GiB |`,
    `| kernel | ${m.kernel} |`,
    `| node | ${m.node} |`,
    `| nats-server | ${m.nats_server} |`,
    `| chromium | ${m.chromium} |`,
    `| commit | ${m.git_commit} |`,
    `| load average at start | ${m.load_average_at_start.join(" ")} |`,
    "",
    "## Results",
    "",
    resultsTable(r.results),
    "",
  ];
  for (const x of r.results) {
    const detail: string[] = [];
    if (x.samples)
      detail.push(
        `samples: ${x.samples.value.join(", ")}${x.samples.baseline ? `; baseline: ${x.samples.baseline.join(", ")}` : ""}`,
      );
    if (x.extra)
      detail.push(
        Object.entries(x.extra)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(", "),
      );
    for (const n of x.notes ?? []) detail.push(n);
    if (detail.length > 0) lines.push(`- **${x.key}**: ${detail.join(". ")}`);
  }
  if (r.sweep.length > 0) {
    const kibs = [...new Set(r.sweep.map((p) => p.chunkKiB))];
    const at = (cipher: string, kib: number) =>
      r.sweep.find((p) => p.cipher === cipher && p.chunkKiB === kib)?.mibPerSecond;
    lines.push(
      "",
      "## Throughput against chunk size",
      "",
      `![v2 throughput against chunk size](${PLOT_FILE})`,
      "",
      `| chunk | ${kibs.map((k) => `${k} KiB`).join(" | ")} |`,
      `|---|${kibs.map(() => "---").join("|")}|`,
      `| AES-256-GCM (MiB/s) | ${kibs.map((k) => fmt(at("aes-256-gcm", k))).join(" | ")} |`,
      `| none (MiB/s) | ${kibs.map((k) => fmt(at("none", k))).join(" | ")} |`,
      "",
      `Default chunk size: ${r.defaultChunkKiB} KiB. Measured recommendation (smallest chunk within 5% of the best encrypted throughput): ${recommended === undefined ? "—" : `${recommended} KiB`}.`,
    );
  }
  lines.push(
    "",
    "Reproduce: `npm run bench` (full) or `npm run bench -- --quick`; `--only <key-prefix>` runs a subset.",
    "",
  );
  return lines.join("\n");
}
