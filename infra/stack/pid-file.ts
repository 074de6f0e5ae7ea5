import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { commandLine, isAlive } from "./processes.ts";

/** A process the stack started, with the marker its command line must contain to still be ours. */
export type TrackedProcess = {
  pid: number;
  marker: string;
  started_at: string;
  /** Its descendants are ours too (real Nex spawns nex-agent processes): `down` stops them after it. */
  tree?: boolean;
};
export type PidFile = Record<string, TrackedProcess>;

export function readPids(path: string): PidFile {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as PidFile) : {};
}

export function writePids(path: string, pids: PidFile): void {
  if (Object.keys(pids).length === 0) rmSync(path, { force: true });
  else writeFileSync(path, JSON.stringify(pids, null, 2) + "\n");
}

/** Alive, and its command line still names our marker (so a recycled PID is never ours). */
export function isOurs(p: TrackedProcess): boolean {
  return isAlive(p.pid) && (commandLine(p.pid)?.includes(p.marker) ?? false);
}
