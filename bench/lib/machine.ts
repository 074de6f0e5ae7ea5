import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { findNatsServer, natsServerVersion } from "../../infra/stack/nats-binary.ts";

export type MachineInfo = {
  cpu_model: string;
  cores: number;
  memory_gib: number;
  node: string;
  nats_server: string;
  kernel: string;
  chromium: string;
  git_commit: string;
  load_average_at_start: number[];
};

const run = (command: string, args: string[]): string => {
  try {
    return execFileSync(command, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 10_000,
    }).trim();
  } catch {
    return "unknown";
  }
};

function natsServer(): string {
  const bin = findNatsServer();
  return bin ? `${natsServerVersion(bin) ?? "unknown"} (${bin})` : "not found";
}

export function machineInfo(): MachineInfo {
  let model = cpus()[0]?.model ?? "unknown";
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? model;
  } catch {
    // Not Linux: os.cpus() will do.
  }
  return {
    cpu_model: model,
    cores: cpus().length,
    memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    // The binary the run's stack starts (.tools/bin first), not whichever one is first on PATH.
    nats_server: natsServer(),
    kernel: `${release()} (${process.platform}/${process.arch})`,
    chromium: run("/usr/bin/chromium", ["--version"]),
    // A previous run's own output in bench/results is not a change to the code measured.
    git_commit:
      run("git", ["rev-parse", "--short", "HEAD"]) +
      (run("git", ["status", "--porcelain", "--", ".", ":(exclude)bench/results"]) ? " (+ uncommitted changes)" : ""),
    load_average_at_start: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
