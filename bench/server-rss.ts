import type { NatsConnection } from "@nats-io/nats-core";
import { setTimeout as sleep } from "node:timers/promises";
import { downloadFile } from "@natster/transfer";
import { nodeSha256 } from "@natster/transfer/node";
import { MiB } from "./config.ts";
import type { ChildService } from "./lib/child.ts";
import { prepareCatalog, serveCatalogProcess } from "./lib/catalogs.ts";
import { linkRoot } from "./lib/files.ts";
import { hashingNullSink } from "./lib/sinks.ts";
import { median, percentile, round } from "./lib/stats.ts";
import type { Bench, BenchContext, DataFile, Measurement } from "./lib/types.ts";
import type { World } from "./lib/world.ts";

const CATALOG = "rss";
const SAMPLE_MS = 25;
/** Per receiver, downloaded once after the idle samples and before both measured sizes. */
const WARM_UP_BYTES = 8 * MiB;

type RssRun = {
  fileMiB: number;
  peakMiB: number;
  p95MiB: number;
  firstHalfP95MiB: number;
  secondHalfP95MiB: number;
  seconds: number;
};

const mib = (kib: number) => kib / 1024;

/** Every receiver downloads `file` at once, encrypted, with the protocol defaults. */
function downloadAll(file: DataFile, receivers: readonly NatsConnection[]): Promise<unknown> {
  return Promise.all(
    receivers.map((nc) =>
      downloadFile({ nc, catalog: CATALOG, hash: file.hash, sink: hashingNullSink(), sha256: nodeSha256 }),
    ),
  );
}

/** The server's RSS (VmRSS sampled every 25 ms) while every receiver downloads `file` at once. */
async function sampledRun(server: ChildService, file: DataFile, receivers: readonly NatsConnection[]): Promise<RssRun> {
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(server.rssKiB()), SAMPLE_MS);
  const started = performance.now();
  try {
    await downloadAll(file, receivers);
  } finally {
    clearInterval(sampler);
  }
  samples.push(server.rssKiB());
  const half = Math.floor(samples.length / 2);
  return {
    fileMiB: file.size / MiB,
    peakMiB: mib(Math.max(...samples)),
    p95MiB: mib(percentile(samples, 95)),
    firstHalfP95MiB: mib(percentile(samples.slice(0, half), 95)),
    secondHalfP95MiB: mib(percentile(samples.slice(half), 95)),
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * A fresh catalog-server process: its idle RSS, one untimed round of `warmUp` downloads, then the
 * half-size and the full-size runs, one after the other. Both sizes are judged on the same warm
 * process: on two fresh ones, where the heap settles (GC timing, JIT code) decided ±10% of the
 * RSS, and a quick run's seconds were mostly that ramp. A leak still shows: whatever the half-size
 * run leaves behind is still there in the full-size run, which then serves twice its bytes.
 */
async function measure(
  world: World,
  home: string,
  sizes: { half: DataFile; full: DataFile; warmUp: DataFile },
  receivers: readonly NatsConnection[],
): Promise<{ idleMiB: number; small: RssRun; big: RssRun }> {
  const server = await serveCatalogProcess(world, { home, name: CATALOG });
  try {
    await sleep(1000);
    const idleSamples: number[] = [];
    for (let i = 0; i < 10; i++) {
      idleSamples.push(server.rssKiB());
      await sleep(50);
    }
    await downloadAll(sizes.warmUp, receivers);
    const small = await sampledRun(server, sizes.half, receivers);
    const big = await sampledRun(server, sizes.full, receivers);
    return { idleMiB: mib(median(idleSamples)), small, big };
  } finally {
    await server.stop();
  }
}

/**
 * server.rss_10x_downloads_mib: peak minus idle RSS of the catalog-server workload (the bundled
 * Nex artifact, a child process) serving 10 concurrent downloads of one file, at half then full
 * file size, on one fresh server after a warm-up round. Bounded means the RSS does not grow with
 * the bytes served.
 */
export const serverRssBench: Bench = {
  name: "server.rss_10x_downloads_mib",
  keys: ["server.rss_10x_downloads_mib"],
  async run(ctx: BenchContext): Promise<Measurement[]> {
    const world = await ctx.world();
    const full = ctx.file("transfer.bin", ctx.sizes.rssBytes);
    const half = ctx.file("half.bin", ctx.sizes.rssBytes / 2);
    const warmUp = ctx.file("warm-up.bin", WARM_UP_BYTES);
    await prepareCatalog(world, {
      home: ctx.home,
      name: CATALOG,
      root: linkRoot(ctx.temp.dir("rss-root"), [full.path, half.path, warmUp.path]),
    });
    const receivers: NatsConnection[] = [];
    for (let i = 0; i < ctx.sizes.rssReceivers; i++) receivers.push(await world.friend.connect(`friend-receiver-${i}`));
    const { idleMiB, small, big } = await measure(world, ctx.home, { half, full, warmUp }, receivers);
    const describe = (r: RssRun) =>
      `peak ${r.peakMiB.toFixed(1)} MiB, p95 ${r.p95MiB.toFixed(1)} MiB (1st half ${r.firstHalfP95MiB.toFixed(1)}, 2nd half ${r.secondHalfP95MiB.toFixed(1)}) in ${r.seconds.toFixed(1)} s`;
    ctx.log(`idle ${idleMiB.toFixed(1)} MiB`);
    ctx.log(`half (${small.fileMiB} MiB ×${receivers.length}): ${describe(small)}`);
    ctx.log(`full (${big.fileMiB} MiB ×${receivers.length}): ${describe(big)}`);
    // A single GC-timing spike decides a max; the 95th percentile of the samples is the plateau.
    const growth = big.p95MiB / small.p95MiB;
    const drift = big.secondHalfP95MiB / big.firstHalfP95MiB;
    const delta = big.peakMiB - idleMiB;
    return [
      {
        key: "server.rss_10x_downloads_mib",
        value: round(delta, 1),
        unit: "MiB",
        baselineLabel: "idle RSS of the same server",
        baseline: round(idleMiB, 1),
        baselineUnit: "MiB",
        ratio: round(big.peakMiB / idleMiB),
        target: { kind: "bounded", note: "p95 RSS at full size ≤ 1.2 × at half size, and ≤ 1.1 × its own first half" },
        bounded: growth <= 1.2 && drift <= 1.1,
        extra: {
          receivers: receivers.length,
          file_mib: big.fileMiB,
          peak_mib: round(big.peakMiB, 1),
          half_file_mib: small.fileMiB,
          half_peak_mib: round(small.peakMiB, 1),
          half_delta_mib: round(small.peakMiB - idleMiB, 1),
          p95_mib: round(big.p95MiB, 1),
          half_p95_mib: round(small.p95MiB, 1),
          p95_full_over_half: round(growth),
          peak_full_over_half: round(big.peakMiB / small.peakMiB),
          p95_second_half_over_first_half: round(drift),
          aggregate_mib_s: round((big.fileMiB * receivers.length) / big.seconds, 1),
        },
        notes: [
          "value = peak − idle VmRSS at full file size (sampled every 25 ms); ratio = peak / idle; one fresh server process: idle measured first, then an untimed warm-up round (every receiver downloads an 8 MiB file once), then the half-size and the full-size downloads one after the other; receivers download encrypted with the defaults (256 KiB chunks, window 16) into hashing null sinks",
          "bounded is judged on the 95th percentile of the samples (a max is one GC-timing spike): against the half-size run, and second half of the full run against its first half (a leak keeps rising)",
        ],
      },
    ];
  },
};
