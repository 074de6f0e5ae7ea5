import { createHash } from "node:crypto";
import { createReadStream, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { MiB } from "./config.ts";
import { prepareCatalog, serveCatalogProcess } from "./lib/catalogs.ts";
import { linkRoot } from "./lib/files.ts";
import { alternate, median, pairedRatio, round } from "./lib/stats.ts";
import type { Bench, BenchContext, DataFile, Measurement } from "./lib/types.ts";
import type { BareChromium, BarePage } from "./lib/bare-chromium.ts";
import { cpuSeconds, type ChildService } from "./lib/child.ts";
import { childPidNamed, cpuMsPerMiB, processTreeCpu } from "./lib/process-tree-cpu.ts";
import { threadCostPerMiB, threadSnapshot } from "./lib/bare-thread-cpu.ts";
import { byLabel, openBareWebSession, type BareWebSession } from "./lib/bare-web-session.ts";
import { startReceiverProcess, type ReceiverProcess } from "./transfer-receiver/process.ts";

const CATALOG = "webdl";
const FILE_BYTES = 512 * MiB;
const HEAP_SAMPLE_MS = 50;
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

type BrowserRun = {
  mibPerSecond: number;
  heapGrowthMiB: number;
  buffersGrowthMiB: number;
  chromiumCpu: Record<string, number>;
  /** CPU ms and minor page faults per MiB of each Chromium thread (by process role and thread name). */
  chromiumThreads: Map<string, { cpuMs: number; faults: number }>;
  serverCpu: number;
  natsCpu: number | undefined;
};
type CliRun = { mibPerSecond: number; receiverCpu: number; serverCpu: number; natsCpu: number | undefined };

/** CPU ms per MiB the stack's nats-server (a child of the bench) spends from now until `stop` (undefined when it is not a child). */
function natsServerCpu(): (mib: number) => number | undefined {
  const pid = childPidNamed("nats-server");
  const start = pid === undefined ? undefined : cpuSeconds(pid);
  return (mib) => (pid === undefined || start === undefined ? undefined : ((cpuSeconds(pid) - start) * 1000) / mib);
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * MiB })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Resolves with the GUID Chromium saved the download named `name` under, once it completed; rejects if it was cancelled/failed. */
function downloadCompleted(chromium: BareChromium, name: string): Promise<string> {
  let guid: string | undefined;
  let stop = () => {};
  const done = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the browser did not finish downloading ${name} within ${DOWNLOAD_TIMEOUT_MS / 1000} s`)),
      DOWNLOAD_TIMEOUT_MS,
    );
    const unsubscribe = chromium.onEvent(({ method, params }) => {
      if (method === "Browser.downloadWillBegin" && params.suggestedFilename === name) guid = params.guid as string;
      if (method !== "Browser.downloadProgress" || typeof params.guid !== "string" || params.guid !== guid) return;
      if (params.state === "completed") resolve(params.guid);
      if (params.state === "canceled") reject(new Error(`the browser's download of ${name} failed`));
    });
    stop = () => {
      clearTimeout(timer);
      unsubscribe();
    };
  });
  return done.finally(() => stop());
}

/**
 * With NATSTER_BENCH_PROFILE_DIR set, a V8 CPU profile of the page's main thread per browser run
 * (`page-<n>.cpuprofile`, for DevTools or speedscope): where the page still spends its time per MiB.
 */
async function startProfile(page: BarePage): Promise<{ stop(): Promise<void> } | undefined> {
  const dir = process.env.NATSTER_BENCH_PROFILE_DIR;
  if (!dir) return undefined;
  await page.send("Profiler.enable");
  await page.send("Profiler.setSamplingInterval", { interval: 500 });
  await page.send("Profiler.start");
  return {
    async stop() {
      const { profile } = await page.send<{ profile: unknown }>("Profiler.stop");
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `page-${++profiles}.cpuprofile`), JSON.stringify(profile));
    },
  };
}
let profiles = 0;

/** One download through the web app's Download button: streamed by the service worker into Chromium's downloads. */
async function browserDownload(
  session: BareWebSession,
  server: ChildService,
  file: DataFile,
  verify: boolean,
): Promise<BrowserRun> {
  const { page, chromium } = session;
  const name = basename(file.path);
  await page.collectGarbage();
  const base = await page.heap();
  const peak = { ...base };
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const now = await page.heap().catch(() => peak);
      peak.js = Math.max(peak.js, now.js);
      peak.buffers = Math.max(peak.buffers, now.buffers);
      await new Promise((r) => setTimeout(r, HEAP_SAMPLE_MS));
    }
  })();
  const [chromiumCpu, threads, serverCpu, natsCpu] = [
    processTreeCpu(chromium.pid),
    threadSnapshot(chromium.pid),
    server.cpuSeconds(),
    natsServerCpu(),
  ];
  const profiling = await startProfile(page);
  const started = performance.now();
  const completed = downloadCompleted(chromium, name);
  let guid: string;
  try {
    await page.click(
      byLabel("document", 'ul[aria-label="Files"] button', `Download ${name}`),
      `the Download button of ${name}`,
    );
    guid = await completed;
  } finally {
    sampling = false;
    await sampler;
    completed.catch(() => undefined);
  }
  const seconds = (performance.now() - started) / 1000;
  await profiling?.stop();
  const mib = file.size / MiB;
  const cpu = {
    chromium: cpuMsPerMiB(chromiumCpu, processTreeCpu(chromium.pid), mib),
    threads: threadCostPerMiB(threads, threadSnapshot(chromium.pid), mib),
    server: ((server.cpuSeconds() - serverCpu) * 1000) / mib,
    nats: natsCpu(mib),
  };
  const saved = join(session.downloadsDir, guid);
  const row = byLabel("document", "section.downloads li", name);
  await page.waitFor(
    `${row}?.textContent.includes("SHA-256 verified")`,
    `"SHA-256 verified" on the Downloads row of ${name}`,
  );
  if (statSync(saved).size !== file.size)
    throw new Error(`the file Chromium saved has ${statSync(saved).size} bytes, not ${file.size}`);
  if (verify && (await sha256File(saved)) !== file.hash)
    throw new Error(`the file Chromium saved does not hash to ${file.hash}`);
  rmSync(saved, { force: true });
  await page.click(
    `${row}?.querySelector(${JSON.stringify(`button[aria-label="Dismiss ${name}"]`)})`,
    `the Dismiss button of ${name}`,
  );
  return {
    mibPerSecond: mib / seconds,
    heapGrowthMiB: (peak.js - base.js) / MiB,
    buffersGrowthMiB: (peak.buffers - base.buffers) / MiB,
    chromiumCpu: cpu.chromium,
    chromiumThreads: cpu.threads,
    serverCpu: cpu.server,
    natsCpu: cpu.nats,
  };
}

/**
 * The CLI's download path (`natster catalog download`: partialFileSink, node:crypto hash and
 * cipher, the defaults) to disk, in a receiver process of its own as the CLI runs, not in the bench
 * process, whose heap (the in-process stack, earlier benches) made the baseline swing.
 */
async function cliDownload(
  ctx: BenchContext,
  receiver: ReceiverProcess,
  server: ChildService,
  file: DataFile,
): Promise<CliRun> {
  const out = join(ctx.temp.dir("cli-downloads"), basename(file.path));
  const [serverCpu, natsCpu] = [server.cpuSeconds(), natsServerCpu()];
  const run = await receiver.download({ catalog: CATALOG, hash: file.hash, saveTo: out });
  const mib = file.size / MiB;
  if (run.resultBytes !== file.size) throw new Error(`the CLI side received ${run.resultBytes} of ${file.size} bytes`);
  rmSync(out, { force: true });
  return {
    mibPerSecond: mib / run.seconds,
    receiverCpu: run.cpuMs / mib,
    serverCpu: ((server.cpuSeconds() - serverCpu) * 1000) / mib,
    natsCpu: natsCpu(mib),
  };
}

/** The median, rounded, of a per-run CPU figure; NaN when a run could not measure it. */
const medianCpu = (values: readonly (number | undefined)[]): number => round(median(values.map((v) => v ?? NaN)), 2);

/** The median CPU ms per MiB of each Chromium role over the runs (roles seen in every run). */
function chromiumCpuExtra(runs: readonly BrowserRun[]): Record<string, number> {
  const roles = Object.keys(runs[0]?.chromiumCpu ?? {}).filter((role) =>
    runs.every((r) => r.chromiumCpu[role] !== undefined),
  );
  const extra: Record<string, number> = {};
  for (const role of roles)
    extra[`chromium_cpu_ms_per_mib_${role.replace(/\W+/g, "_")}`] = round(
      median(runs.map((r) => r.chromiumCpu[role]!)),
      1,
    );
  extra.chromium_cpu_ms_per_mib_total = round(
    median(runs.map((r) => Object.values(r.chromiumCpu).reduce((a, b) => a + b, 0))),
    1,
  );
  return extra;
}

/** Threads costing less than this (median CPU ms per MiB) are left out of the extras. */
const THREAD_CPU_SHOWN_MS = 0.3;

/**
 * The median CPU ms and minor page faults per MiB of each Chromium thread that costs at least
 * THREAD_CPU_SHOWN_MS, as "<cpu ms> ms, <faults> faults" under thread_<role>_<thread>: where the
 * browser's CPU per MiB goes, and how much of it is the kernel mapping fresh pages.
 */
function chromiumThreadExtra(runs: readonly BrowserRun[]): Record<string, string> {
  const labels = [...new Set(runs.flatMap((r) => [...r.chromiumThreads.keys()]))];
  const rows = labels.map((label) => {
    const of = (pick: (c: { cpuMs: number; faults: number }) => number) =>
      median(runs.map((r) => pick(r.chromiumThreads.get(label) ?? { cpuMs: 0, faults: 0 })));
    return { label, cpuMs: of((c) => c.cpuMs), faults: of((c) => c.faults) };
  });
  const extra: Record<string, string> = {};
  for (const row of rows.filter((r) => r.cpuMs >= THREAD_CPU_SHOWN_MS).sort((a, b) => b.cpuMs - a.cpuMs))
    extra[`thread_${row.label.replace(/\W+/g, "_")}`] = `${round(row.cpuMs, 2)} ms, ${Math.round(row.faults)} faults`;
  return extra;
}

/**
 * web.download_heap_mib and web.download_vs_cli: a 512 MiB file downloaded with the web app's
 * Download button in Chromium (service worker → the browser's downloads, SHA-256 verified in the
 * page) against the CLI's download path on the same file from the same catalog-server process.
 * The page's JS heap and its ArrayBuffer backing stores (DevTools Runtime.getHeapUsage) are sampled
 * every 50 ms after a forced GC; the growth is peak − start. Alternated AB/BA; medians; the ratio
 * is the median of the per-pair ratios.
 */
export const webDownloadBench: Bench = {
  name: "web.download",
  keys: ["web.download_heap_mib", "web.download_vs_cli"],
  async run(ctx: BenchContext): Promise<Measurement[]> {
    const world = await ctx.world();
    const file = ctx.file("web-download.bin", FILE_BYTES);
    await prepareCatalog(world, {
      home: ctx.home,
      name: CATALOG,
      root: linkRoot(ctx.temp.dir("webdl-root"), [file.path]),
    });
    const server = await serveCatalogProcess(world, { home: ctx.home, name: CATALOG });
    const session = await openBareWebSession(ctx, world, CATALOG, "chromium-download");
    const receiver = await startReceiverProcess(world);
    try {
      let first = true;
      const browserOnce = async () => {
        const run = await browserDownload(session, server, file, first); // the first saved file is hashed byte for byte
        first = false;
        return run;
      };
      const measured = await alternate<BrowserRun | CliRun>(ctx.sizes.webDownloadPairs, browserOnce, () =>
        cliDownload(ctx, receiver, server, file),
      );
      const cli = measured.b as CliRun[];
      const runs = { a: measured.a as BrowserRun[], b: cli.map((r) => r.mibPerSecond) };
      const browserRate = median(runs.a.map((r) => r.mibPerSecond));
      const cliRate = median(runs.b);
      const paired = pairedRatio(
        runs.a.map((r) => r.mibPerSecond),
        runs.b,
      );
      const buffers = Math.max(...runs.a.map((r) => r.buffersGrowthMiB));
      const heap = Math.max(...runs.a.map((r) => r.heapGrowthMiB));
      ctx.log(
        `browser ${runs.a.map((r) => `${r.mibPerSecond.toFixed(0)} MiB/s (+${r.heapGrowthMiB.toFixed(1)} MiB JS heap, +${r.buffersGrowthMiB.toFixed(1)} MiB ArrayBuffers)`).join(", ")}; CLI ${runs.b.map((v) => v.toFixed(0)).join("/")} MiB/s`,
      );
      const notes = [
        "Chromium 'Download' button → service worker response (Content-Disposition: attachment, X-Content-Type-Options: nosniff) whose body the page fills as Chromium pulls, decrypting with WebCrypto and hashing with SHA-256 in WebAssembly (hash-wasm) on a worker thread; the last chunk is withheld until the hash matches; Chromium writes to its downloads directory",
        "Chromium is driven over a bare DevTools pipe (bench/lib/bare-chromium.ts), not Playwright: Playwright's Network domain copies every websocket frame the page receives (base64) through the browser process to the driver, which more than doubled the CPU of a download",
        "chromium_cpu_ms_per_mib_<role>: CPU time per MiB of the browser's processes by role (/proc of the Chromium process tree: browser, renderer, the network service, …); thread_<role>_<thread>: CPU ms and minor page faults per MiB of each of their threads that costs at least 0.3 ms/MiB (main: the process's main thread, i.e. the page's for the renderer; DedicatedWorker: the SHA-256 worker; ServiceWorker t: the service worker; Chrome_ChildIOT: IPC; the browser's ThreadPoolForeg: the download writer), medians over the runs; cli_receiver_cpu_ms_per_mib: the CLI side's receiver process (bench/transfer-receiver, started like bin/natster and kept warm); server_*: the catalog-server process for each side; nats_server_*: the stack's nats-server for each side",
        "nats-server frames what it sends to browsers (User-Agent Mozilla/…) in 4 KiB websocket messages unless websocket compression is on: one message event per 4 KiB is most of the page's main-thread time. Compressed, nats-server deflates each flush (Go's flate at BestSpeed, wasted on ciphertext), which nats_server_cpu_ms_per_mib_browser shows against _cli",
        "CLI side: downloadFile with its defaults into partialFileSink (.partial, fsync, rename) with node:crypto SHA-256 and AES-GCM, as `natster catalog download` does, in a receiver process of its own (bench/transfer-receiver), not in the bench process",
      ];
      return [
        {
          key: "web.download_heap_mib",
          value: round(heap, 1),
          unit: "MiB",
          baselineLabel: `${file.size / MiB} MiB file`,
          baseline: file.size / MiB,
          baselineUnit: "MiB",
          ratio: round(heap / 64, 3),
          target: { kind: "max", value: 1 },
          samples: { value: runs.a.map((r) => round(r.heapGrowthMiB, 1)) },
          extra: {
            file_mib: file.size / MiB,
            target_mib: 64,
            sample_ms: HEAP_SAMPLE_MS,
            runs: runs.a.length,
            array_buffers_peak_growth_mib: round(buffers, 1),
          },
          notes: [
            "value = the largest peak growth of the page's JS heap (V8 used heap, DevTools Runtime.getHeapUsage usedSize, after a forced GC) over the runs; ratio = value / 64 MiB (the target)",
            "array_buffers_peak_growth_mib: the ArrayBuffer backing stores (the chunks themselves, outside the JS heap) at their peak, garbage not yet collected included; V8 collects them on external-memory pressure, so this stays bounded whatever the file size",
            ...notes,
          ],
        },
        {
          key: "web.download_vs_cli",
          value: round(browserRate, 1),
          unit: "MiB/s",
          baselineLabel: "CLI download path, same file and server",
          baseline: round(cliRate, 1),
          baselineUnit: "MiB/s",
          ratio: round(paired.ratio),
          target: { kind: "min", value: 0.5 },
          samples: { value: runs.a.map((r) => round(r.mibPerSecond, 1)), baseline: runs.b.map((v) => round(v, 1)) },
          extra: {
            file_mib: file.size / MiB,
            pairs: ctx.sizes.webDownloadPairs,
            pair_ratios: paired.ratios.map((r) => round(r)).join(" "),
            ratio_of_medians: round(browserRate / cliRate),
            ...chromiumCpuExtra(runs.a),
            ...chromiumThreadExtra(runs.a),
            cli_receiver_cpu_ms_per_mib: round(median(cli.map((r) => r.receiverCpu)), 2),
            server_cpu_ms_per_mib_browser: round(median(runs.a.map((r) => r.serverCpu)), 2),
            server_cpu_ms_per_mib_cli: round(median(cli.map((r) => r.serverCpu)), 2),
            nats_server_cpu_ms_per_mib_browser: medianCpu(runs.a.map((r) => r.natsCpu)),
            nats_server_cpu_ms_per_mib_cli: medianCpu(cli.map((r) => r.natsCpu)),
          },
          notes,
        },
      ];
    } finally {
      await receiver.stop();
      await session.close();
      await server.stop();
    }
  },
};
