import { execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { repoRoot } from "@natster/node-kit";

type Env = Record<string, string | undefined>;

/** Where scripts/setup.sh puts the Go-built tools (nats-server, nats, nex, nex-agent). */
export const toolsBin = join(repoRoot, ".tools/bin");

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * `NATS_SERVER_BIN`, else the Go-built .tools/bin/nats-server (the default), else `nats-server` on PATH,
 * else Debian's /usr/sbin/nats-server (a fallback only).
 */
export function findNatsServer(env: Env = process.env): string | undefined {
  if (env.NATS_SERVER_BIN) return isExecutable(env.NATS_SERVER_BIN) ? env.NATS_SERVER_BIN : undefined;
  const dirs = [toolsBin, ...(env.PATH ?? "").split(delimiter).filter(Boolean), "/usr/sbin", "/usr/local/sbin"];
  return dirs.map((d) => join(d, "nats-server")).find(isExecutable);
}

/** `v2.12.15` from `nats-server --version` ("nats-server: v2.12.15"), or undefined if it cannot say. */
export function natsServerVersion(bin: string): string | undefined {
  try {
    const out = execFileSync(bin, ["--version"], { encoding: "utf8", timeout: 5000 });
    return /v\d+\.\d+\.\d+\S*/.exec(out)?.[0];
  } catch {
    return undefined;
  }
}

/** The Go tool `name` from .tools/bin, else from PATH. */
export function findTool(name: string, env: Env = process.env): string | undefined {
  return [toolsBin, ...(env.PATH ?? "").split(delimiter).filter(Boolean)].map((d) => join(d, name)).find(isExecutable);
}
