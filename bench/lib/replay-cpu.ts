import { readFileSync } from "node:fs";
import { cpuSeconds, parseProcStat } from "./child.ts";

/** CPU seconds so far of this process's threads (main thread apart) and of its child processes, by what they run. */
export type CpuSnapshot = Map<string, number>;

const cpuSecondsOf = (statPath: string): number => {
  try {
    return parseProcStat(readFileSync(statPath, "utf8")).cpuSeconds;
  } catch {
    return 0;
  }
};

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** What a child runs: nats-server, a Nex native workload (the trigger bridge among them), esbuild, … */
function kindOf(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const command = argv.find((a, i) => i > 0 && a.includes("/")) ?? argv[0] ?? "";
    if (argv[0]?.includes("nats-server")) return "nats-server";
    if (command.includes("/workload-")) return "native workloads";
    return (argv[0] ?? "other").split("/").pop() ?? "other";
  } catch {
    return "other";
  }
}

/** This process: "node main thread" and "node other threads" (the Nex node's V8 workers, libuv); its children by kind. */
export function replayCpu(): CpuSnapshot {
  const out: CpuSnapshot = new Map();
  const add = (k: string, s: number) => out.set(k, (out.get(k) ?? 0) + s);
  const pid = process.pid;
  // The whole process counts threads that have exited too; the main thread is the one with its pid.
  const main = cpuSecondsOf(`/proc/${pid}/task/${pid}/stat`);
  add("bench+nex-node main thread", main);
  add("bench+nex-node other threads", cpuSecondsOf(`/proc/${pid}/stat`) - main);
  for (const child of childrenOf(pid)) add(kindOf(child), cpuSeconds(child));
  return out;
}

/** CPU seconds used between two snapshots, by kind, rounded to 0.01. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, s] of after) out[k] = Math.round((s - (before.get(k) ?? 0)) * 100) / 100;
  return out;
}
