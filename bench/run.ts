/**
 * `npm run bench [-- --quick] [-- --only <key-prefix>]`: every hot path against its baseline, as
 * ratios, in one process run. Writes bench/results/latest.json, latest.md and chunk-size.svg.
 * Exits 1 only when a benchmark crashed; a timing never fails the run.
 */
import { DEFAULT_CHUNK_SIZE } from "@natster/protocol";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { BENCHES } from "./benches.ts";
import { KiB } from "./config.ts";
import { SIZES } from "./config.ts";
import { cleanupAll, onCleanup } from "./lib/cleanup.ts";
import { writeRandomFile } from "./lib/files.ts";
import { machineInfo } from "./lib/machine.ts";
import { createTempSpace } from "./lib/temp.ts";
import type { BenchContext, DataFile, Measurement, Mode, Sizes, SweepPoint } from "./lib/types.ts";
import { startWorld, type World } from "./lib/world.ts";
import { PLOT_FILE, writePlot } from "./plot.ts";
import { resultsTable, writeReport } from "./report.ts";

type Args = { mode: Mode; only: string[]; out: string; sizes: Partial<Record<keyof Sizes, string>> };

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { mode: "full", only: [], out: join(import.meta.dirname, "results"), sizes: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") args.mode = "quick";
    else if (a === "--only") args.only.push(...(argv[++i] ?? "").split(",").filter(Boolean));
    else if (a?.startsWith("--only=")) args.only.push(...a.slice(7).split(",").filter(Boolean));
    else if (a === "--out") args.out = argv[++i] ?? args.out;
    else if (a === "--size") {
      const [name = "", value = ""] = (argv[++i] ?? "").split("=");
      if (!(name in SIZES.full)) throw new Error(`--size ${name}: not one of ${Object.keys(SIZES.full).join(", ")}`);
      args.sizes[name as keyof Sizes] = value;
    } else if (a === "--help" || a === "-h") {
      process.stdout.write(
        "usage: tsx bench/run.ts [--quick] [--only <key-prefix>[,<key-prefix>…]] [--size <name>=<value>]… [--out <dir>]\n",
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

/** `--size name=value`: a number, a comma-separated list of numbers, or true/false, like the field it replaces. */
function withOverrides(base: Sizes, overrides: Args["sizes"]): Sizes {
  const sizes: Record<string, unknown> = { ...base };
  for (const [name, text = ""] of Object.entries(overrides)) {
    const current = sizes[name];
    const value =
      typeof current === "boolean"
        ? text === "true"
        : Array.isArray(current)
          ? text.split(",").map(Number)
          : Number(text);
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error(`--size ${name}=${text}: not a number`);
    sizes[name] = value;
  }
  return sizes as Sizes;
}

// performance.now() counts from the process start, so the run's time includes loading the code.
const started = 0;
const stamp = () => `[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s]`;
const log = (line: string) => process.stdout.write(`${stamp()} ${line}\n`);

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const selected = BENCHES.filter(
    (b) => args.only.length === 0 || args.only.some((p) => b.keys.some((k) => k.startsWith(p)) || b.name.startsWith(p)),
  );
  if (selected.length === 0)
    throw new Error(
      `no benchmark matches --only ${args.only.join(",")}; keys: ${BENCHES.flatMap((b) => b.keys).join(", ")}`,
    );
  const sizes = withOverrides(SIZES[args.mode], args.sizes);
  const machine = machineInfo();
  log(
    `natster bench (${args.mode}) on ${machine.cpu_model}, ${machine.cores} cores, node ${process.version}, nats-server ${machine.nats_server}`,
  );

  const temp = createTempSpace();
  onCleanup(`temp dir ${temp.root}`, () => temp.remove());
  const dataDir = temp.dir("data");
  const files = new Map<string, DataFile>();
  let world: Promise<World> | undefined;
  const sweep: SweepPoint[] = [];
  const ctx: BenchContext = {
    mode: args.mode,
    sizes,
    temp,
    home: temp.dir("home"),
    sweep,
    log,
    file(name, size) {
      const known = files.get(`${name}:${size}`);
      if (known) return known;
      const path = join(dataDir, `${size}-${name}`);
      const t = performance.now();
      const file = { path, size, hash: writeRandomFile(path, size) };
      log(`generated ${name} (${(size / 2 ** 20).toFixed(0)} MiB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      files.set(`${name}:${size}`, file);
      return file;
    },
    world() {
      world ??= startWorld(log).then((w) => {
        onCleanup("stack", () => w.stop());
        return w;
      });
      return world;
    },
  };

  const results: Measurement[] = [];
  let crashed = 0;
  for (const bench of selected) {
    const t = performance.now();
    log(`▶ ${bench.name}`);
    try {
      const measured = await bench.run(ctx);
      results.push(...measured);
      for (const m of measured)
        log(
          `  ${m.key}: ${typeof m.value === "string" ? m.value : `${m.value} ${m.unit}`}${m.ratio !== undefined ? ` (ratio ${m.ratio})` : ""}`,
        );
    } catch (e) {
      crashed++;
      const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
      log(`✗ ${bench.name} crashed: ${message}`);
      for (const key of bench.keys) {
        results.push({
          key,
          value: `crashed: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`,
          unit: "",
          baselineLabel: "—",
          target: { kind: "report" },
        });
      }
    }
    log(`  (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }

  const durationSeconds = (performance.now() - started) / 1000;
  const flags = [
    ...(args.mode === "quick" ? ["--quick"] : []),
    ...(args.only.length > 0 ? ["--only", args.only.join(",")] : []),
    ...Object.entries(args.sizes).flatMap(([k, v]) => ["--size", `${k}=${v}`]),
  ];
  const command = `npm run bench${flags.length > 0 ? ` -- ${flags.join(" ")}` : ""}`;
  const defaultChunkKiB = DEFAULT_CHUNK_SIZE / KiB;
  if (sweep.length > 0) {
    writePlot(join(args.out, PLOT_FILE), sweep, {
      defaultKiB: defaultChunkKiB,
      title: `Natster transfer v2: throughput against chunk size (${args.mode})`,
      subtitle: `${sizes.sweepBytes / 2 ** 20} MiB file, receiver window 16 chunks, median of ${sizes.sweepRounds} round(s), ${machine.cores} cores`,
    });
  }
  const written = writeReport(args.out, {
    mode: args.mode,
    command,
    startedAt,
    durationSeconds,
    machine,
    results,
    sweep,
    defaultChunkKiB,
  });
  process.stdout.write(`\n${resultsTable(results)}\n\n`);
  log(
    `wrote ${written.json}, ${written.md}${existsSync(join(args.out, PLOT_FILE)) && sweep.length > 0 ? `, ${join(args.out, PLOT_FILE)}` : ""}`,
  );
  log(`done in ${durationSeconds.toFixed(1)} s${crashed > 0 ? `; ${crashed} benchmark(s) crashed` : ""}`);
  return crashed > 0 ? 1 : 0;
}

let exitCode = 1;
let cleaning: Promise<void> | undefined;
const cleanup = () =>
  (cleaning ??= (async () => {
    const t = performance.now();
    await cleanupAll(log);
    log(`cleaned up in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  })());
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}
try {
  exitCode = await main();
} catch (e) {
  log(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
