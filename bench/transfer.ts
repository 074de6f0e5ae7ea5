import { DEFAULT_CHUNK_SIZE, DEFAULT_CREDIT } from "@natster/protocol";
import { downloadFile, type Cipher } from "@natster/transfer";
import { chunkCipherEngine, nodeChunkCipher, threadedSha256 } from "@natster/transfer/node";
import { KiB, MiB } from "./config.ts";
import { prepareCatalog, serveCatalogProcess } from "./lib/catalogs.ts";
import { cpuSeconds, type ChildService } from "./lib/child.ts";
import { childPidNamed } from "./lib/process-tree-cpu.ts";
import { linkRoot } from "./lib/files.ts";
import { hashingNullSink } from "./lib/sinks.ts";
import { alternate, median, round } from "./lib/stats.ts";
import { comparedTransfers } from "./lib/compare.ts";
import type { Bench, BenchContext, DataFile, Measurement, SweepPoint } from "./lib/types.ts";
import type { World } from "./lib/world.ts";
import type { ReceiverRequest } from "./transfer-receiver/protocol.ts";
import { startReceiverProcess, type ReceiverProcess } from "./transfer-receiver/process.ts";

const CATALOG = "xfer";

type Download = { cipher: Cipher; chunkSize?: number; length?: number; window?: number };

export type DownloadRun = {
  mibPerSecond: number;
  receiverCpuMsPerMiB: number;
  serverCpuMsPerMiB: number | undefined;
  /** The stack's nats-server (a child of the bench process unless it runs in a container). */
  natsCpuMsPerMiB: number | undefined;
  /** Which AES-256-GCM the receiver ran (chunkCipherEngine). */
  receiverCipherEngine: string;
};

/** One v2 download by the friend, across the real import, from the catalog-server process; MiB/s. */
export async function downloadOnce(
  world: World,
  catalog: string,
  file: DataFile,
  d: Download,
  receiver?: ReceiverProcess,
): Promise<number> {
  return (await downloadMeasured(world, catalog, file, d, undefined, receiver)).mibPerSecond;
}

/**
 * The same, with the CPU time each process spent per MiB (robust where wall time is not: a shared
 * machine). With `receiver`, the download runs in that process of its own, as the CLI's does;
 * without, in the bench process (which also hosts the stack's in-process services).
 */
export async function downloadMeasured(
  world: World,
  catalog: string,
  file: DataFile,
  d: Download,
  server?: ChildService,
  receiver?: ReceiverProcess,
): Promise<DownloadRun> {
  const natsPid = childPidNamed("nats-server");
  const natsCpu = natsPid === undefined ? undefined : cpuSeconds(natsPid);
  const serverCpu = server?.cpuSeconds();
  const expected = d.length ?? file.size;
  const request = {
    catalog,
    hash: file.hash,
    cipher: d.cipher,
    chunkSize: d.chunkSize ?? DEFAULT_CHUNK_SIZE,
    window: d.window ?? DEFAULT_CREDIT,
    ...(d.length !== undefined ? { length: d.length } : {}),
  };
  const run = receiver ? await receiver.download(request) : await downloadInProcess(world, request);
  if (run.sinkBytes !== expected || run.resultBytes !== expected)
    throw new Error(`downloaded ${run.sinkBytes} of ${expected} bytes`);
  const mib = expected / MiB;
  return {
    mibPerSecond: mib / run.seconds,
    receiverCpuMsPerMiB: run.cpuMs / mib,
    serverCpuMsPerMiB: server && serverCpu !== undefined ? ((server.cpuSeconds() - serverCpu) * 1000) / mib : undefined,
    natsCpuMsPerMiB:
      natsPid !== undefined && natsCpu !== undefined ? ((cpuSeconds(natsPid) - natsCpu) * 1000) / mib : undefined,
    receiverCipherEngine: run.cipherEngine,
  };
}

async function downloadInProcess(world: World, request: ReceiverRequest) {
  const sink = hashingNullSink();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await downloadFile({
    nc: world.friend.nc,
    ...request,
    sink,
    sha256: threadedSha256,
    chunkCipher: nodeChunkCipher,
  });
  const used = process.cpuUsage(cpu);
  return {
    sinkBytes: sink.bytes(),
    resultBytes: result.bytes,
    seconds: (performance.now() - started) / 1000,
    cpuMs: (used.user + used.system) / 1000,
    cipherEngine: chunkCipherEngine(),
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
    // Logged before "serving catalog", so it is in the output now, before the downloads' lines can push it out.
    const serverEngine = /chunks are sealed by (.*)/.exec(server.output())?.[1] ?? "(not logged)";
    // The receiver runs in its own process, as the CLI does: in the bench process it would share a
    // heap with the in-process stack, which V8 then marks on every external-memory-driven GC.
    const receiver = await startReceiverProcess(world);
    try {
      // Warm-up: connections, JIT, the share cache, page cache; not measured.
      for (const cipher of ["aes-256-gcm", "none"] as const)
        await downloadOnce(world, CATALOG, sweepFile, { cipher }, receiver);
      const measured = await alternate(
        sizes.transferPairs,
        () => downloadMeasured(world, CATALOG, big, { cipher: "aes-256-gcm" }, server, receiver),
        () => downloadMeasured(world, CATALOG, big, { cipher: "none" }, server, receiver),
      );
      const runs = { a: measured.a.map((r) => r.mibPerSecond), b: measured.b.map((r) => r.mibPerSecond) };
      type Side = "receiverCpuMsPerMiB" | "serverCpuMsPerMiB" | "natsCpuMsPerMiB";
      const cpu = (rs: DownloadRun[], side: Side) => round(median(rs.map((r) => r[side] ?? NaN)), 2);
      // What the ratio would be if the transfer alone saturated the machine: all three processes share two cores.
      const total = (rs: DownloadRun[]) =>
        median(rs.map((r) => r.receiverCpuMsPerMiB + (r.serverCpuMsPerMiB ?? NaN) + (r.natsCpuMsPerMiB ?? NaN)));
      ctx.log(
        `encrypted ${runs.a.map((v) => v.toFixed(0)).join("/")} MiB/s, plain ${runs.b.map((v) => v.toFixed(0)).join("/")} MiB/s`,
      );
      ctx.sweep.push(...(await sweep(ctx, world, sweepFile, receiver)));
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
            nats_server_cpu_ms_per_mib_encrypted: cpu(measured.a, "natsCpuMsPerMiB"),
            nats_server_cpu_ms_per_mib_plain: cpu(measured.b, "natsCpuMsPerMiB"),
            cpu_bound_ratio: round(total(measured.b) / total(measured.a)),
          },
          notes: [
            "catalog-server workload (bundled Nex artifact) as a child process of the owner's account → friend's account across the real import; the receiver is downloadFile (AES-256-GCM and SHA-256 verification) into a hashing null sink (no disk write/fsync, same for both sides), in a child process of its own like the CLI (bench/transfer-receiver), kept warm across downloads",
            "cpu_ms_per_mib: CPU time (all threads) per MiB moved, server and nats-server from /proc/<pid>/stat, receiver from process.cpuUsage() of the receiver process; unlike MiB/s it does not depend on what else the machine runs",
            "cpu_bound_ratio: the plain download's total CPU per MiB (receiver + catalog server + nats-server, medians of per-download sums) over the encrypted one's: the ratio to expect when the transfer saturates the two cores by itself",
            `AES-256-GCM: the catalog server's ${serverEngine}; the receiver's ${measured.a[0]?.receiverCipherEngine ?? "(none)"}`,
          ],
        }),
      ];
    } finally {
      await receiver.stop();
      await server.stop();
    }
  },
};

/** Throughput against chunk size (whole-file, verified downloads), both ciphers, order rotated every round. */
async function sweep(
  ctx: BenchContext,
  world: World,
  file: DataFile,
  receiver: ReceiverProcess,
): Promise<SweepPoint[]> {
  const chunks = ctx.sizes.sweepChunksKiB;
  const samples = new Map<string, number[]>();
  for (let round = 0; round < ctx.sizes.sweepRounds; round++) {
    const order = [...chunks.slice(round % chunks.length), ...chunks.slice(0, round % chunks.length)];
    for (const kib of order) {
      for (const cipher of round % 2 === 0 ? (["aes-256-gcm", "none"] as const) : (["none", "aes-256-gcm"] as const)) {
        const mibs = await downloadOnce(world, CATALOG, file, { cipher, chunkSize: kib * KiB }, receiver);
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
