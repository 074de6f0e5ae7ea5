import { DEFAULT_CHUNK_SIZE, DEFAULT_CREDIT } from "@natster/protocol";
import { downloadFile, type Cipher } from "@natster/transfer";
import { nodeChunkCipher, nodeSha256 } from "@natster/transfer/node";
import { KiB, MiB } from "./config.ts";
import { prepareCatalog, serveCatalogProcess } from "./lib/catalogs.ts";
import type { ChildService } from "./lib/child.ts";
import { linkRoot } from "./lib/files.ts";
import { hashingNullSink } from "./lib/sinks.ts";
import { alternate, median, round } from "./lib/stats.ts";
import { comparedTransfers } from "./lib/compare.ts";
import type { Bench, BenchContext, DataFile, Measurement, SweepPoint } from "./lib/types.ts";
import type { World } from "./lib/world.ts";

const CATALOG = "xfer";

type Download = { cipher: Cipher; chunkSize?: number; length?: number; window?: number };

export type DownloadRun = { mibPerSecond: number; receiverCpuMsPerMiB: number; serverCpuMsPerMiB: number | undefined };

/** One v2 download by the friend, across the real import, from the catalog-server process; MiB/s. */
export async function downloadOnce(world: World, catalog: string, file: DataFile, d: Download): Promise<number> {
  return (await downloadMeasured(world, catalog, file, d)).mibPerSecond;
}

/** The same, with the CPU time both sides spent per MiB (robust where wall time is not: a shared machine). */
export async function downloadMeasured(
  world: World,
  catalog: string,
  file: DataFile,
  d: Download,
  server?: ChildService,
): Promise<DownloadRun> {
  const sink = hashingNullSink();
  const serverCpu = server?.cpuSeconds();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await downloadFile({
    nc: world.friend.nc,
    catalog,
    hash: file.hash,
    sink,
    sha256: nodeSha256,
    chunkCipher: nodeChunkCipher,
    cipher: d.cipher,
    chunkSize: d.chunkSize ?? DEFAULT_CHUNK_SIZE,
    window: d.window ?? DEFAULT_CREDIT,
    ...(d.length !== undefined ? { length: d.length } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const expected = d.length ?? file.size;
  if (sink.bytes() !== expected || result.bytes !== expected)
    throw new Error(`downloaded ${sink.bytes()} of ${expected} bytes`);
  const mib = expected / MiB;
  return {
    mibPerSecond: mib / seconds,
    receiverCpuMsPerMiB: (used.user + used.system) / 1000 / mib,
    serverCpuMsPerMiB: server && serverCpu !== undefined ? ((server.cpuSeconds() - serverCpu) * 1000) / mib : undefined,
  };
}

/**
 * transfer.encrypted_vs_plain: the same file, the same catalog-server process, the same receiver,
 * window and chunk size; only the cipher differs (AES-256-GCM vs "none", which the server allows
 * with NATSTER_ALLOW_PLAINTEXT=1). Runs alternate AB/BA; medians. Then the chunk-size sweep.
 */
export const transferBench: Bench = {
  name: "transfer.encrypted_vs_plain",
  keys: ["transfer.encrypted_vs_plain"],
  async run(ctx: BenchContext): Promise<Measurement[]> {
    const world = await ctx.world();
    const { sizes } = ctx;
    const big = ctx.file("transfer.bin", sizes.transferBytes);
    const sweepFile = ctx.file("sweep.bin", sizes.sweepBytes);
    await prepareCatalog(world, {
      home: ctx.home,
      name: CATALOG,
      root: linkRoot(ctx.temp.dir("xfer-root"), [big.path, sweepFile.path]),
    });
    const server = await serveCatalogProcess(world, { home: ctx.home, name: CATALOG, allowPlaintext: true });
    try {
      // Warm-up: connections, JIT, the share cache, page cache; not measured.
      for (const cipher of ["aes-256-gcm", "none"] as const) await downloadOnce(world, CATALOG, sweepFile, { cipher });
      const measured = await alternate(
        sizes.transferPairs,
        () => downloadMeasured(world, CATALOG, big, { cipher: "aes-256-gcm" }, server),
        () => downloadMeasured(world, CATALOG, big, { cipher: "none" }, server),
      );
      const runs = { a: measured.a.map((r) => r.mibPerSecond), b: measured.b.map((r) => r.mibPerSecond) };
      const cpu = (rs: DownloadRun[], side: "receiverCpuMsPerMiB" | "serverCpuMsPerMiB") =>
        round(median(rs.map((r) => r[side] ?? NaN)), 2);
      ctx.log(
        `encrypted ${runs.a.map((v) => v.toFixed(0)).join("/")} MiB/s, plain ${runs.b.map((v) => v.toFixed(0)).join("/")} MiB/s`,
      );
      ctx.sweep.push(...(await sweep(ctx, world, sweepFile)));
      return [
        comparedTransfers({
          key: "transfer.encrypted_vs_plain",
          baselineLabel: 'same path, cipher "none"',
          ...runs,
          target: { kind: "min", value: 0.9 },
          fileBytes: big.size,
          pairs: sizes.transferPairs,
          cpu: {
            server_cpu_ms_per_mib_encrypted: cpu(measured.a, "serverCpuMsPerMiB"),
            server_cpu_ms_per_mib_plain: cpu(measured.b, "serverCpuMsPerMiB"),
            receiver_cpu_ms_per_mib_encrypted: cpu(measured.a, "receiverCpuMsPerMiB"),
            receiver_cpu_ms_per_mib_plain: cpu(measured.b, "receiverCpuMsPerMiB"),
          },
          notes: [
            "catalog-server workload (bundled Nex artifact) as a child process of the owner's account → friend's account across the real import; the receiver is downloadFile with node:crypto SHA-256 verification into a hashing null sink (no disk write/fsync, same for both sides)",
            "cpu_ms_per_mib: CPU time (all threads) per MiB moved, server from /proc/<pid>/stat, receiver from process.cpuUsage() of the bench process; unlike MiB/s it does not depend on what else the machine runs",
          ],
        }),
      ];
    } finally {
      await server.stop();
    }
  },
};

/** Throughput against chunk size (whole-file, verified downloads), both ciphers, order rotated every round. */
async function sweep(ctx: BenchContext, world: World, file: DataFile): Promise<SweepPoint[]> {
  const chunks = ctx.sizes.sweepChunksKiB;
  const samples = new Map<string, number[]>();
  for (let round = 0; round < ctx.sizes.sweepRounds; round++) {
    const order = [...chunks.slice(round % chunks.length), ...chunks.slice(0, round % chunks.length)];
    for (const kib of order) {
      for (const cipher of round % 2 === 0 ? (["aes-256-gcm", "none"] as const) : (["none", "aes-256-gcm"] as const)) {
        const mibs = await downloadOnce(world, CATALOG, file, { cipher, chunkSize: kib * KiB });
        const key = `${cipher}:${kib}`;
        samples.set(key, [...(samples.get(key) ?? []), mibs]);
      }
    }
  }
  const points: SweepPoint[] = [];
  for (const cipher of ["aes-256-gcm", "none"] as const) {
    for (const kib of chunks) {
      const s = samples.get(`${cipher}:${kib}`) ?? [];
      points.push({ chunkKiB: kib, cipher, mibPerSecond: round(median(s), 1), samples: s.map((v) => round(v, 1)) });
    }
  }
  ctx.log(
    `sweep: ${points
      .filter((p) => p.cipher === "aes-256-gcm")
      .map((p) => `${p.chunkKiB}K=${p.mibPerSecond}`)
      .join(" ")}`,
  );
  return points;
}
