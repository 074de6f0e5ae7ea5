import { createHash } from "node:crypto";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fetchCatalog } from "../cli/src/commands/catalog/contents.ts";
import {
  DEFAULT_ENTRY_DESCRIPTION,
  mimeTypeFor,
  saveCatalog,
  type CatalogEntry,
  type CatalogFile,
  type IndexRecord,
} from "@natster/catalog";
import { startChild } from "./lib/child.ts";
import { median, round } from "./lib/stats.ts";
import type { Bench, BenchContext, Measurement } from "./lib/types.ts";

const CATALOG = "big";
const EXTENSIONS = [".mp4", ".mkv", ".jpg", ".flac", ".txt", ".pdf"];

/**
 * `entries` real small files in nested folders (100 per folder) with realistic names, and the
 * catalog file `catalog new` would write for them (same hashes, mime types, sizes, index).
 */
function buildCatalog(root: string, entries: number, realFiles: boolean): CatalogFile {
  const list: CatalogEntry[] = [];
  const index: Record<string, IndexRecord> = {};
  for (let i = 0; i < entries; i++) {
    const dir = `library-${String(Math.floor(i / 10_000)).padStart(2, "0")}/season-${String(Math.floor(i / 100) % 100).padStart(2, "0")}`;
    if (realFiles && i % 100 === 0) mkdirSync(join(root, dir), { recursive: true });
    const path = `/${dir}/episode-${String(i).padStart(6, "0")} - a reasonably long title${EXTENSIONS[i % EXTENSIONS.length]}`;
    const content = `natster bench entry ${i}\n`;
    const abs = join(root, path.slice(1));
    if (realFiles) writeFileSync(abs, content);
    const info = realFiles ? statSync(abs) : { size: Buffer.byteLength(content), mtimeMs: Date.now() };
    list.push({
      path,
      description: DEFAULT_ENTRY_DESCRIPTION,
      mime_type: mimeTypeFor(path),
      byte_size: info.size,
      hash: createHash("sha256").update(content).digest("hex"),
    });
    index[path] = { size: info.size, mtime_ms: info.mtimeMs };
  }
  return {
    name: CATALOG,
    root_dir: root,
    description: "100k entries",
    last_modified: 0,
    entries: list,
    x_index: index,
  };
}

/**
 * catalog.list_100k_s: `natster catalog contents` of an imported catalog, i.e. the CLI's
 * `fetchCatalog` (pages of 1000) from the friend's account across the real import, against the
 * catalog server (frozen: no rescan, no watcher) as a child process. Reported, no baseline.
 */
export const catalogListBench: Bench = {
  name: "catalog.list_100k_s",
  keys: ["catalog.list_100k_s"],
  async run(ctx: BenchContext): Promise<Measurement[]> {
    const world = await ctx.world();
    const root = ctx.temp.dir("big-root");
    const n = ctx.sizes.listEntries;
    let t = performance.now();
    const catalog = buildCatalog(root, n, ctx.sizes.listRealFiles);
    await saveCatalog(ctx.home, catalog);
    ctx.log(
      `created ${ctx.sizes.listRealFiles ? `${n} files and ` : ""}a ${n}-entry catalog in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    await world.share(CATALOG);
    const server = await startChild({
      name: "catalog-server big (frozen)",
      entry: { tsx: "bench/lib/frozen-catalog-server.ts" },
      env: {
        ...(await world.ownerWorkloadEnv("catalog-server-big")),
        NATSTER_CATALOG: CATALOG,
        NATSTER_HOME: ctx.home,
      },
      ready: /serving catalog/,
    });
    try {
      const once = async () => {
        t = performance.now();
        const summary = await fetchCatalog(world.friend.nc, CATALOG);
        const seconds = (performance.now() - t) / 1000;
        if (summary.entries.length !== n) throw new Error(`listed ${summary.entries.length} of ${n} entries`);
        return seconds;
      };
      await once(); // warm-up: connection, JIT, the server's share cache
      const samples: number[] = [];
      for (let i = 0; i < ctx.sizes.listRepeats; i++) samples.push(await once());
      const value = median(samples);
      ctx.log(`listing ${samples.map((s) => s.toFixed(2)).join("/")} s`);
      return [
        {
          key: "catalog.list_100k_s",
          value: round(value, 2),
          unit: "s",
          baselineLabel: "—",
          target: { kind: "report" },
          samples: { value: samples.map((s) => round(s, 3)) },
          extra: {
            entries: n,
            real_files: ctx.sizes.listRealFiles,
            pages: Math.ceil(n / 1000),
            entries_per_s: round(n / value, 0),
            server_rss_mib: round(server.rssKiB() / 1024, 1),
          },
          notes: [
            "fetchCatalog (cli/src/commands/catalog/contents.ts, 1000 entries a page) as the friend, across the import; median after one warm-up",
            ctx.sizes.listRealFiles
              ? "the entries are real files (100 per folder) catalogued as `catalog new` would"
              : "quick: only the catalog file is written (creating 100k files takes 10-40 s here); the frozen server never reads the files, so the listing is the same",
          ],
        },
      ];
    } finally {
      await server.stop();
    }
  },
};
