import { DEFAULT_CHUNK_SIZE, DEFAULT_CREDIT } from "@natster/protocol";
import { MiB } from "./config.ts";
import { prepareCatalog, serveCatalogProcess } from "./lib/catalogs.ts";
import { startChild } from "./lib/child.ts";
import { linkRoot } from "./lib/files.ts";
import { alternate, median, round } from "./lib/stats.ts";
import { comparedTransfers } from "./lib/compare.ts";
import type { Bench, BenchContext, Measurement } from "./lib/types.ts";
import { receiveRaw } from "./raw-nats/subscriber.ts";
import { downloadMeasured } from "./transfer.ts";

const V2 = "plainv2";
type Run = { mibPerSecond: number; receiverCpu: number; publisherCpu: number };
const RAW = "rawnats";

/**
 * transfer.plain_vs_raw_nats: v2 with cipher "none" (catalog-server workload → downloadFile with
 * SHA-256 verification) against a bare nats.js publisher → subscriber (bench/raw-nats) moving the
 * same file, in the same message size, across the same kind of account import, with the same
 * window of outstanding messages. Both publishers are child processes of the owner's account and
 * read the file from the page cache; alternated AB/BA; medians.
 */
export const rawNatsBench: Bench = {
  name: "transfer.plain_vs_raw_nats",
  keys: ["transfer.plain_vs_raw_nats"],
  async run(ctx: BenchContext): Promise<Measurement[]> {
    const world = await ctx.world();
    const file = ctx.file("transfer.bin", ctx.sizes.transferBytes);
    await prepareCatalog(world, {
      home: ctx.home,
      name: V2,
      root: linkRoot(ctx.temp.dir("plainv2-root"), [file.path]),
    });
    await prepareCatalog(world, {
      home: ctx.home,
      name: RAW,
      root: linkRoot(ctx.temp.dir("rawnats-root"), [file.path]),
    });
    const v2 = await serveCatalogProcess(world, { home: ctx.home, name: V2, allowPlaintext: true });
    const raw = await startChild({
      name: "raw-nats publisher",
      entry: { tsx: "bench/raw-nats/publisher-main.ts" },
      env: { ...(await world.ownerWorkloadEnv("raw-nats-publisher")), NATSTER_CATALOG: RAW, RAW_FILE: file.path },
      ready: /raw publisher serving/,
    });
    const shape = { length: file.size, chunkSize: DEFAULT_CHUNK_SIZE, window: DEFAULT_CREDIT };
    const mib = file.size / MiB;
    const v2Once = async (): Promise<Run> => {
      const r = await downloadMeasured(world, V2, file, { cipher: "none" }, v2);
      return {
        mibPerSecond: r.mibPerSecond,
        receiverCpu: r.receiverCpuMsPerMiB,
        publisherCpu: r.serverCpuMsPerMiB ?? NaN,
      };
    };
    const rawOnce = async (): Promise<Run> => {
      const [cpu, publisherCpu] = [process.cpuUsage(), raw.cpuSeconds()];
      const seconds = await receiveRaw(world.friend.nc, RAW, shape);
      const used = process.cpuUsage(cpu);
      return {
        mibPerSecond: mib / seconds,
        receiverCpu: (used.user + used.system) / 1000 / mib,
        publisherCpu: ((raw.cpuSeconds() - publisherCpu) * 1000) / mib,
      };
    };
    try {
      await v2Once(); // warm-up: connections, JIT, the share cache, the page cache
      await rawOnce();
      const measured = await alternate(ctx.sizes.transferPairs, v2Once, rawOnce);
      const runs = { a: measured.a.map((r) => r.mibPerSecond), b: measured.b.map((r) => r.mibPerSecond) };
      const cpu = (rs: Run[], side: "receiverCpu" | "publisherCpu") => round(median(rs.map((r) => r[side])), 2);
      ctx.log(
        `v2 plain ${runs.a.map((v) => v.toFixed(0)).join("/")} MiB/s, raw nats ${runs.b.map((v) => v.toFixed(0)).join("/")} MiB/s`,
      );
      return [
        comparedTransfers({
          key: "transfer.plain_vs_raw_nats",
          baselineLabel: "bare nats.js publisher → subscriber, same import, message size and window",
          ...runs,
          target: { kind: "min", value: 0.8 },
          fileBytes: file.size,
          pairs: ctx.sizes.transferPairs,
          cpu: {
            server_cpu_ms_per_mib_v2: cpu(measured.a, "publisherCpu"),
            server_cpu_ms_per_mib_raw: cpu(measured.b, "publisherCpu"),
            receiver_cpu_ms_per_mib_v2: cpu(measured.a, "receiverCpu"),
            receiver_cpu_ms_per_mib_raw: cpu(measured.b, "receiverCpu"),
          },
          notes: [
            'v2: the catalog-server workload with cipher "none" → downloadFile (order, sizes, headers, credit, SHA-256 of the whole file) into a hashing null sink',
            "raw: a nats.js child process in the owner's account reads the same file chunk by chunk and publishes on <friend>.natster.media.<cat>.<id>; the friend's subscriber counts bytes and publishes {received} every half window; no headers, crypto, checks or hash",
          ],
        }),
      ];
    } finally {
      await raw.stop();
      await v2.stop();
    }
  },
};
