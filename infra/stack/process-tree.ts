import { readdirSync, readFileSync } from "node:fs";
import { isAlive, stopPid } from "./processes.ts";

/** The parent PID, process group and command name of a live process, from /proc/<pid>/stat. */
function stat(pid: number): { ppid: number; pgrp: number; comm: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const [, ppid, pgrp] = text.slice(close + 2).split(" ");
    return { ppid: Number(ppid), pgrp: Number(pgrp), comm };
  } catch {
    return undefined;
  }
}

const livePids = (): number[] =>
  readdirSync("/proc")
    .map(Number)
    .filter((pid) => Number.isInteger(pid));

export type ProcessEntry = { pid: number; comm: string };

/** Every live descendant of `root` (children first), e.g. the nex-agent processes a real Nex node spawned. */
export function descendants(root: number): ProcessEntry[] {
  const children = new Map<number, ProcessEntry[]>();
  for (const pid of livePids()) {
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

/**
 * What is left of a process group after its leader died without stopping it: a SIGKILLed Nex node
 * (`natster up` starts each detached, so it leads its own group) leaves its native workloads
 * running, re-parented to init but still in its group. Their PIDs, found by the group id (the dead
 * leader's PID, which Linux does not hand out again while the group has members).
 */
export function groupLeftovers(leader: number): ProcessEntry[] {
  if (isAlive(leader)) return [];
  return livePids().flatMap((pid) => {
    const s = stat(pid);
    return s && s.pgrp === leader && pid !== leader ? [{ pid, comm: s.comm }] : [];
  });
}

/** Stops, by PID (SIGINT, then SIGKILL), what a dead leader left in its process group; returns what it stopped. */
export async function stopGroupLeftovers(leader: number, graceMs = 5_000): Promise<ProcessEntry[]> {
  const left = groupLeftovers(leader);
  for (const p of left) await stopPid(p.pid, "SIGINT", graceMs);
  return left;
}
