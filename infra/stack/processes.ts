import { spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

export type SpawnSpec = {
  command: string;
  args: string[];
  logPath: string;
  env?: Record<string, string | undefined>;
  /** Survives the parent (what `natster up` wants); tests keep children attached. */
  detached: boolean;
  cwd?: string;
};

/**
 * Starts a process with stdout and stderr appended to `logPath`; returns its PID. A new log is
 * created 0600: a user's node log sits under NATSTER_HOME/node, where every file must be private.
 */
export function spawnLogged(spec: SpawnSpec): number {
  const log = openSync(spec.logPath, "a", 0o600);
  const child = spawn(spec.command, spec.args, {
    detached: spec.detached,
    stdio: ["ignore", log, log],
    env: spec.env,
    cwd: spec.cwd,
  });
  if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
  if (spec.detached) child.unref();
  return child.pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch {
    return false;
  }
}

function isZombie(pid: number): boolean {
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** The command line of a live PID, so we never signal a recycled PID that is not ours. */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return undefined;
  }
}

/** Sends `signal`, waits up to `graceMs`, then SIGKILLs. Resolves when the PID is gone. */
export async function stopPid(pid: number, signal: NodeJS.Signals = "SIGTERM", graceMs = 5000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      return;
    }
    while (isAlive(pid)) await sleep(20);
  }
}

/** Polls nats-server's /healthz until it answers ok, the process dies, or time runs out. */
export async function waitForHealthz(httpUrl: string, pid: number | undefined, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (pid !== undefined && !isAlive(pid)) throw new Error(`nats-server (pid ${pid}) exited during start-up`);
    try {
      const res = await fetch(`${httpUrl}/healthz`);
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`nats-server at ${httpUrl} was not healthy after ${timeoutMs} ms (${last})`);
}
