import { readdirSync, readFileSync } from "node:fs";
import { cpuSeconds } from "./child.ts";

/** CPU seconds used so far by `rootPid` and its descendants, summed per role (Chromium's `--type`, `--utility-sub-type`). */
export type CpuByRole = Map<string, number>;

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

/** "browser" for the root, else "renderer", "gpu-process", "utility:network.mojom.NetworkService", … */
function roleOf(pid: number, rootPid: number): string {
  if (pid === rootPid) return "browser";
  try {
    // Chromium rewrites its argv, so the flags may be one NUL-free string.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
    const type = /--type=(\S+)/.exec(cmdline)?.[1] ?? "other";
    const sub = /--utility-sub-type=(\S+)/.exec(cmdline)?.[1];
    return sub ? `${type}:${sub}` : type;
  } catch {
    return "other";
  }
}

/** The processes of the tree under `rootPid` (itself included), each with its role. */
export function processTree(rootPid: number): { pid: number; role: string }[] {
  const pids = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
  const parents = new Map(pids.map((pid) => [pid, parentOf(pid)]));
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 32; p = parents.get(p), hops++)
      if (p === rootPid) return true;
    return false;
  };
  return pids.filter(inTree).map((pid) => ({ pid, role: roleOf(pid, rootPid) }));
}

/** A snapshot of the process tree's CPU time by role. Processes that exited since are not counted (Chromium keeps its processes for a page's life). */
export function processTreeCpu(rootPid: number): CpuByRole {
  const byRole: CpuByRole = new Map();
  for (const { pid, role } of processTree(rootPid)) byRole.set(role, (byRole.get(role) ?? 0) + cpuSeconds(pid));
  return byRole;
}

/** Milliseconds of CPU per MiB, by role, between two snapshots. */
export function cpuMsPerMiB(before: CpuByRole, after: CpuByRole, mib: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [role, seconds] of after) out[role] = ((seconds - (before.get(role) ?? 0)) * 1000) / mib;
  return out;
}

/** The pid of this process's child running `command` (e.g. the stack's "nats-server"), or undefined. */
export function childPidNamed(command: string): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (name === command && parentOf(Number(entry)) === process.pid) return Number(entry);
    } catch {
      // The process exited while we looked.
    }
  }
  return undefined;
}
