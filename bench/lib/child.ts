import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tsxCommand, repoRoot } from "@natster/node-kit";
import { onCleanup } from "./cleanup.ts";

export type ChildService = {
  pid: number;
  output(): string;
  /** Resident set size from /proc/<pid>/status (VmRSS), in KiB. */
  rssKiB(): number;
  /** CPU time (user + system, all threads) used so far, in seconds. */
  cpuSeconds(): number;
  /** SIGINT, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
};

export type ChildSpec = {
  name: string;
  /** "workload": the bundled Nex artifact of the catalog server; otherwise a TypeScript entry run with tsx. */
  entry: { artifact: string } | { tsx: string };
  env: Record<string, string>;
  /** A line on stdout that says the service is ready. */
  ready: RegExp;
  timeoutMs?: number;
};

/** The catalog server exactly as the Nex node runs it: the bundled artifact, given only the workload env. */
export const CATALOG_SERVER_ARTIFACT = join(repoRoot, "workloads/catalog-server/dist/catalog-server.mjs");

/** `NATSTER_NATIVE_AEAD=off npm run bench` measures the transfers on node:crypto's AES-GCM instead of the native addon; `=openssl` keeps the addon on OpenSSL where it would take VAES. */
export const nativeAeadSwitch = (): Record<string, string> =>
  process.env.NATSTER_NATIVE_AEAD ? { NATSTER_NATIVE_AEAD: process.env.NATSTER_NATIVE_AEAD } : {};

export async function startChild(spec: ChildSpec): Promise<ChildService> {
  const { command, args } =
    "artifact" in spec.entry ? { command: process.execPath, args: [spec.entry.artifact] } : tsxCommand(spec.entry.tsx);
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? "", ...nativeAeadSwitch(), ...spec.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const append = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    if (output.length > 1_000_000) output = output.slice(-500_000);
  };
  child.stdout.on("data", append);
  child.stderr.on("data", append);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${spec.name} did not start`);
  const stop = async (graceMs = 5000) => {
    if (!alive()) return;
    child.kill("SIGINT");
    const timer = setTimeout(() => alive() && child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const release = onCleanup(`${spec.name} (pid ${pid})`, () => stop(2000));
  const service: ChildService = {
    pid,
    output: () => output,
    rssKiB: () => rssKiB(pid),
    cpuSeconds: () => cpuSeconds(pid),
    stop: () => release(),
  };
  const deadline = Date.now() + (spec.timeoutMs ?? 60_000);
  while (!spec.ready.test(output)) {
    if (!alive()) {
      await release();
      throw new Error(`${spec.name} exited before it was ready:\n${output.slice(-2000)}`);
    }
    if (Date.now() > deadline) {
      await release();
      throw new Error(`${spec.name} was not ready within ${spec.timeoutMs ?? 60_000} ms:\n${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return service;
}

/** VmRSS of a process in KiB (0 once it is gone). */
export function rssKiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

const TICKS_PER_SECOND = 100;

/** utime + stime of a process (all its threads) from /proc/<pid>/stat, in seconds (0 once it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, "utf8")).cpuSeconds;
  } catch {
    return 0;
  }
}

/** What the bench reads of a `/proc/<pid>/stat` or `/proc/<pid>/task/<tid>/stat` line (the name may hold spaces and parentheses). */
export function parseProcStat(stat: string): { comm: string; cpuSeconds: number; minorFaults: number } {
  const close = stat.lastIndexOf(")");
  const fields = stat.slice(close + 2).split(" ");
  return {
    comm: stat.slice(stat.indexOf("(") + 1, close),
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
    minorFaults: Number(fields[7]),
  };
}
