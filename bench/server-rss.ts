import type { NatsConnection } from "@nats-io/nats-core";
import { setTimeout as sleep } from "node:timers/promises";
import { downloadFile } from "../packages/transfer/src/index.ts";
import { nodeSha256 } from "../packages/transfer/src/node/index.ts";
import { MiB } from "./config.ts";
import { prepareCatalog, serveCatalogProcess } from "./lib/catalogs.ts";
import { linkRoot } from "./lib/files.ts";
import { hashingNullSink } from "./lib/sinks.ts";
import { median, round } from "./lib/stats.ts";
import type { Bench, BenchContext, DataFile, Measurement } from "./lib/types.ts";
import type { World } from "./lib/world.ts";

const CATALOG = "rss";
const SAMPLE_MS = 25;

type RssRun = { fileMiB: number; idleMiB: number; peakMiB: number; seconds: number };

/**
 * A fresh catalog-server process: its idle RSS, then its peak RSS (VmRSS sampled every 25 ms)
 * while `receivers.length` receivers (separate connections of the friend's account) download
 * `file` at once, encrypted, with the protocol defaults.
 */
async function measure(world: World, home: string, file: DataFile, receivers: readonly NatsConnection[]): Promise<RssRun> {
  const server = await serveCatalogProcess(world, { home, name: CATALOG });
  try {
    await sleep(1000);
    const idleSamples: number[] = [];
    for (let i = 0; i < 10; i++) {
      idleSamples.push(server.rssKiB());
      await sleep(50);
    }
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, server.rssKiB())), SAMPLE_MS);
    const started = performance.now();
    try {
      await Promise.all(receivers.map((nc) => downloadFile({ nc, catalog: CATALOG, hash: file.hash, sink: hashingNullSink(), sha256: nodeSha256 })));
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, server.rssKiB());
    return { fileMiB: file.size / MiB, idleMiB: median(idleSamples) / 1024, peakMiB: peak / 1024, seconds: (performance.now() - started) / 1000 };
  } finally {
    await server.stop();
  }
}

/**
 * server.rss_10x_downloads_mib: peak minus idle RSS of the catalog-server workload (the bundled
 * Nex artifact, a child process) serving 10 concurrent downloads of one file, at full and half
 * file size, each on a fresh server. Bounded means the peak does not grow with the file size.
 */
export const serverRssBench: Bench = {
  name: "server.rss_10x_downloads_mib",
  keys: ["server.rss_10x_downloads_mib"],
  async run(ctx: BenchContext): Promise<Measurement[]> {
    const world = await ctx.world();
    const full = ctx.file("transfer.bin", ctx.sizes.rssBytes);
    const half = ctx.file("half.bin", ctx.sizes.rssBytes / 2);
    await prepareCatalog(world, { home: ctx.home, name: CATALOG, root: linkRoot(ctx.temp.dir("rss-root"), [full.path, half.path]) });
    const receivers: NatsConnection[] = [];
    for (let i = 0; i < ctx.sizes.rssReceivers; i++) receivers.push(await world.friend.connect(`friend-receiver-${i}`));
    const small = await measure(world, ctx.home, half, receivers);
    ctx.log(`half (${small.fileMiB} MiB ×${receivers.length}): idle ${small.idleMiB.toFixed(1)} MiB, peak ${small.peakMiB.toFixed(1)} MiB in ${small.seconds.toFixed(1)} s`);
    const big = await measure(world, ctx.home, full, receivers);
    ctx.log(`full (${big.fileMiB} MiB ×${receivers.length}): idle ${big.idleMiB.toFixed(1)} MiB, peak ${big.peakMiB.toFixed(1)} MiB in ${big.seconds.toFixed(1)} s`);
    const growth = big.peakMiB / small.peakMiB;
    const delta = big.peakMiB - big.idleMiB;
    return [
      {
        key: "server.rss_10x_downloads_mib",
        value: round(delta, 1),
        unit: "MiB",
        baselineLabel: "idle RSS of the same server",
        baseline: round(big.idleMiB, 1),
        baselineUnit: "MiB",
        ratio: round(big.peakMiB / big.idleMiB),
        target: { kind: "bounded", note: "peak at full size ≤ 1.2 × peak at half size" },
        bounded: growth <= 1.2,
        extra: {
          receivers: receivers.length,
          file_mib: big.fileMiB,
          peak_mib: round(big.peakMiB, 1),
          half_file_mib: small.fileMiB,
          half_idle_mib: round(small.idleMiB, 1),
          half_peak_mib: round(small.peakMiB, 1),
          half_delta_mib: round(small.peakMiB - small.idleMiB, 1),
          peak_full_over_half: round(growth),
          aggregate_mib_s: round((big.fileMiB * receivers.length) / big.seconds, 1),
        },
        notes: [
          "value = peak − idle VmRSS at full file size (sampled every 25 ms); ratio = peak / idle; each size runs on a fresh server process; receivers download encrypted with the defaults (128 KiB chunks, window 16) into hashing null sinks",
        ],
      },
    ];
  },
};
