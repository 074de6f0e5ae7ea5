import { MiB } from "./config.ts";
import { prepareCatalog, serveCatalogProcess } from "./lib/catalogs.ts";
import { startChild } from "./lib/child.ts";
import { linkRoot } from "./lib/files.ts";
import { alternate, median, round } from "./lib/stats.ts";
import { compared } from "./lib/compare.ts";
import type { Bench, BenchContext, Measurement } from "./lib/types.ts";
import { downloadOnce } from "./transfer.ts";
import { upstreamDownload } from "./upstream/client.ts";

/**
 * transfer.vs_upstream_protocol: one file, two servers over the same catalog root, both child
 * processes of the owner's account, the same friend connection across the same kind of import:
 * the v2 catalog-server workload (defaults: AES-256-GCM, 256 KiB chunks, window 16) and upstream's
 * protocol (bench/upstream). Alternated AB/BA; medians.
 */
export const upstreamBench: Bench = {
  name: "transfer.vs_upstream_protocol",
  keys: ["transfer.vs_upstream_protocol"],
  async run(ctx: BenchContext): Promise<Measurement[]> {
    const world = await ctx.world();
    const file = ctx.file("upstream.bin", ctx.sizes.upstreamBytes);
    const root = linkRoot(ctx.temp.dir("upstream-root"), [file.path]);
    await prepareCatalog(world, { home: ctx.home, name: "upstream", root });
    await prepareCatalog(world, { home: ctx.home, name: "upstreamv2", root });
    const upstream = await startChild({
      name: "upstream-server",
      entry: { tsx: "bench/upstream/server-main.ts" },
      env: {
        ...(await world.ownerWorkloadEnv("upstream-server")),
        NATSTER_CATALOG: "upstream",
        NATSTER_HOME: ctx.home,
      },
      ready: /serving catalog/,
    });
    const v2 = await serveCatalogProcess(world, { home: ctx.home, name: "upstreamv2" });
    let lost = 0;
    let failedToOpen = 0;
    const upstreamOnce = async () => {
      const started = performance.now();
      const r = await upstreamDownload({
        nc: world.friend.nc,
        catalog: "upstream",
        hash: file.hash,
        write: () => undefined,
      });
      const seconds = (performance.now() - started) / 1000;
      lost += r.lost;
      failedToOpen += r.failedToOpen;
      if (r.lost > 0) ctx.log(`upstream lost ${r.lost} of ${r.totalChunks} chunks (no flow control)`);
      return r.bytes / MiB / seconds;
    };
    const v2Once = () => downloadOnce(world, "upstreamv2", file, { cipher: "aes-256-gcm" });
    try {
      await v2Once();
      const runs = await alternate(ctx.sizes.upstreamPairs, v2Once, upstreamOnce);
      const v2Rate = median(runs.a);
      const upRate = median(runs.b);
      ctx.log(
        `v2 ${runs.a.map((v) => v.toFixed(1)).join("/")} MiB/s, upstream ${runs.b.map((v) => v.toFixed(2)).join("/")} MiB/s`,
      );
      return [
        compared({
          key: "transfer.vs_upstream_protocol",
          unit: "MiB/s",
          baselineLabel:
            "upstream's protocol in JavaScript (tweetnacl), not upstream's Go (xkey box per 4 KiB chunk, no flow control)",
          ...runs,
          baselineDigits: 2,
          ratio: round(v2Rate / upRate, 1),
          target: { kind: "min", value: 10 },
          extra: {
            file_mib: file.size / MiB,
            pairs: ctx.sizes.upstreamPairs,
            upstream_lost_chunks: lost,
            upstream_failed_opens: failedToOpen,
          },
          notes: [
            `upstream's per-chunk xkey seal/open (nkeys.js, tweetnacl: an X25519 scalar multiplication on every call) costs ≈4 ms per 4 KiB chunk on each side here, so upstream runs at ≈1 MiB/s and the file is kept small (${file.size / MiB} MiB) for it; v2 moves the same file in well under a second, so its figure includes its fixed request/key-exchange cost`,
            "upstream's Go build derives the box key faster (Go curve25519), so against the Go original the gap would be smaller; this figure compares the protocols in one runtime and one harness",
            lost > 0
              ? `upstream lost ${lost} chunks across the runs (no flow control)`
              : "no upstream chunk was lost at this size",
          ],
        }),
      ];
    } finally {
      await upstream.stop();
      await v2.stop();
    }
  },
};
