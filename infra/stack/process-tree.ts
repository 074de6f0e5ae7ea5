import { readdirSync, readFileSync } from "node:fs";
import { isAlive, stopPid } from "./processes.ts";

/** The parent PID and command name of a live process, from /proc/<pid>/stat. */
function stat(pid: number): { ppid: number; comm: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const ppid = Number(text.slice(close + 2).split(" ")[1]);
    return { ppid, comm };
  } catch {
    return undefined;
  }
}

export type ProcessEntry = { pid: number; comm: string };

/** Every live descendant of `root` (children first), e.g. the nex-agent processes a real Nex node spawned. */
export function descendants(root: number): ProcessEntry[] {
  const children = new Map<number, ProcessEntry[]>();
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (!s) continue;
    const list = children.get(s.ppid) ?? [];
    list.push({ pid, comm: s.comm });
    children.set(s.ppid, list);
  }
  const out: ProcessEntry[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() ?? 0) ?? []) {
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}

/** The command name (`comm`) of a live PID, so a recycled PID is never taken for ours. */
export const processName = (pid: number): string | undefined => stat(pid)?.comm;

/**
 * Stops `pid` (real Nex: `nex node up`, which stops its agents itself), then, by PID, whatever of its
 * descendants (nex-agent, their workloads) is still alive. Returns the descendants it had to stop.
 */
export async function stopTree(pid: number, signal: NodeJS.Signals, graceMs: number): Promise<ProcessEntry[]> {
  const children = descendants(pid);
  await stopPid(pid, signal, graceMs);
  const stopped: ProcessEntry[] = [];
  for (const child of children) {
    if (processName(child.pid) !== child.comm || !isAlive(child.pid)) continue;
    await stopPid(child.pid, "SIGINT", 5_000);
    stopped.push(child);
  }
  return stopped;
}
