import { spawn } from "node:child_process";
import { join } from "node:path";
import { createCatalog } from "@natster/catalog";
import { MiB } from "./config.ts";
import { writeRandomFile } from "./lib/files.ts";
import { alternate } from "./lib/stats.ts";
import { compared } from "./lib/compare.ts";
import type { Bench, BenchContext, Measurement } from "./lib/types.ts";

/** Sizes that vary from half to one and a half times the mean, summing exactly to `total`. */
function fileSizes(total: number, count: number): number[] {
  const mean = total / count;
  const sizes = Array.from({ length: count }, (_, i) => Math.floor(mean * (0.5 + ((i * 7919) % count) / count)));
  const sum = sizes.reduce((a, b) => a + b, 0);
  sizes[0] = sizes[0]! + (total - sum);
  return sizes;
}

function sha256sum(cwd: string, names: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("sha256sum", ["--", ...names], { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`sha256sum exited ${code}: ${err}`))));
  });
}

/**
 * hash.ingest_vs_sha256sum: `catalog new` (createCatalog: walk, streaming SHA-256 of every file,
 * save the catalog) against `sha256sum` over exactly the same files. Both run once untimed first so
 * the page cache is equally warm; then alternated AB/BA, medians. Figures are MiB/s.
 */
export const hashBench: Bench = {
  name: "hash.ingest_vs_sha256sum",
  keys: ["hash.ingest_vs_sha256sum"],
  async run(ctx: BenchContext): Promise<Measurement[]> {
    const { hashBytes, hashFiles, hashPairs } = ctx.sizes;
    const root = ctx.temp.dir("hash-root");
    const names: string[] = [];
    const t = performance.now();
    fileSizes(hashBytes, hashFiles).forEach((size, i) => {
      const name = `dir${i % 8}/file-${String(i).padStart(4, "0")}.bin`;
      names.push(name);
      writeRandomFile(join(root, name), size);
    });
    ctx.log(
      `generated ${hashFiles} files, ${hashBytes / MiB} MiB, in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const home = ctx.temp.dir("hash-home");
    const ingest = async () => {
      const started = performance.now();
      const catalog = await createCatalog({ home, name: "hashbench", rootDir: root, overwrite: true });
      const seconds = (performance.now() - started) / 1000;
      if (catalog.entries.length !== hashFiles)
        throw new Error(`ingest found ${catalog.entries.length} of ${hashFiles} files`);
      return hashBytes / MiB / seconds;
    };
    const sum = async () => {
      const started = performance.now();
      await sha256sum(root, names);
      return hashBytes / MiB / ((performance.now() - started) / 1000);
    };
    await ingest();
    await sum();
    const runs = await alternate(hashPairs, ingest, sum);
    ctx.log(
      `ingest ${runs.a.map((v) => v.toFixed(0)).join("/")} MiB/s, sha256sum ${runs.b.map((v) => v.toFixed(0)).join("/")} MiB/s`,
    );
    return [
      compared({
        key: "hash.ingest_vs_sha256sum",
        unit: "MiB/s",
        baselineLabel: "sha256sum on the same files",
        ...runs,
        target: { kind: "min", value: 0.8 },
        extra: { files: hashFiles, total_mib: hashBytes / MiB, pairs: hashPairs },
        notes: [
          "createCatalog (walk + streaming node:crypto SHA-256, 4 files at a time + catalog save) vs one sha256sum process over the same file list; page cache warmed by one untimed run of each",
        ],
      }),
    ];
  },
};
