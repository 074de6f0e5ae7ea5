import { readdirSync, readFileSync } from "node:fs";
import { parseProcStat } from "./child.ts";
import { processTree } from "./process-tree-cpu.ts";

/** One thread's counters: CPU seconds and minor page faults (each a fresh page the kernel maps, often zeroed). */
type ThreadCounters = { label: string; cpu: number; faults: number };
/** A snapshot of every thread of a Chromium process tree, by "<pid>/<tid>". */
export type ThreadSnapshot = Map<string, ThreadCounters>;

/**
 * Chromium names its threads (the comm, cut at 15 characters): "DedicatedWorker", "ServiceWorker t",
 * "Chrome_ChildIOT", "ThreadPoolForeg", …; a process's main thread carries the binary's name.
 */
function threadLabel(role: string, pid: number, tid: number, comm: string): string {
  const thread = tid === pid ? "main" : comm.trim();
  return `${role.replace(/^utility:.*NetworkService$/, "network")} ${thread}`;
}

/** Every thread of the tree under `rootPid` with its role, name, CPU time and minor faults so far. */
export function threadSnapshot(rootPid: number): ThreadSnapshot {
  const snapshot: ThreadSnapshot = new Map();
  for (const { pid, role } of processTree(rootPid)) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // the process exited while we looked
    }
    for (const tid of tids) {
      try {
        const { comm, cpuSeconds, minorFaults } = parseProcStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8"));
        snapshot.set(`${pid}/${tid}`, {
          label: threadLabel(role, pid, Number(tid), comm),
          faults: minorFaults,
          cpu: cpuSeconds,
        });
      } catch {
        // the thread exited while we looked
      }
    }
  }
  return snapshot;
}

/**
 * CPU ms and minor faults per MiB of each thread label between two snapshots (threads with the
 * same label summed; a thread started in between counts from zero; one that ended is lost).
 */
export function threadCostPerMiB(
  before: ThreadSnapshot,
  after: ThreadSnapshot,
  mib: number,
): Map<string, { cpuMs: number; faults: number }> {
  const out = new Map<string, { cpuMs: number; faults: number }>();
  for (const [key, now] of after) {
    const then = before.get(key);
    const sum = out.get(now.label) ?? { cpuMs: 0, faults: 0 };
    sum.cpuMs += ((now.cpu - (then?.cpu ?? 0)) * 1000) / mib;
    sum.faults += (now.faults - (then?.faults ?? 0)) / mib;
    out.set(now.label, sum);
  }
  return out;
}
