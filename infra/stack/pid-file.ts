import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { commandLine, isAlive } from "./processes.ts";

/** A process the stack started, with the marker its command line must contain to still be ours. */
export type TrackedProcess = {
  pid: number;
  marker: string;
  started_at: string;
  /** Its descendants are ours too (real Nex spawns nex-agent processes): `down` stops them after it. */
  tree?: boolean;
  /** `down` stops lower ranks first (see StopPolicies); a record without one ranks between the nodes and the servers. */
  stop_rank?: number;
  /** Default SIGINT. */
  stop_signal?: "SIGINT" | "SIGTERM";
};

/**
 * How `down` stops what `up` started, declared by whoever starts it: the servers' users first
 * (the web server, the hub's node, the global nodes), the servers last, with SIGTERM.
 */
export const StopPolicies = {
  webServer: { stop_rank: 0 },
  hubNode: { stop_rank: 1 },
  globalNode: { stop_rank: 2 },
  natsServer: { stop_rank: 4, stop_signal: "SIGTERM" },
} as const satisfies Record<string, Pick<TrackedProcess, "stop_rank" | "stop_signal">>;

const UNRANKED = 3;

/** `down`'s order: by the rank each record declares. */
export const byStopRank = (a: TrackedProcess, b: TrackedProcess): number =>
  (a.stop_rank ?? UNRANKED) - (b.stop_rank ?? UNRANKED);
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
