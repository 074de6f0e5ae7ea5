import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { stopPid } from "../../infra/stack/processes.ts";
import { natsMode } from "./mode.ts";

let podman: ChildProcess | undefined;
let socketDir: string | undefined;

/** Starts podman's Docker-compatible API for testcontainers (container mode only) and stops it after. */
export async function setup(): Promise<void> {
  if (natsMode() !== "container") return;
  socketDir = mkdtempSync(join(tmpdir(), "natster-podman-"));
  const socket = join(socketDir, "podman.sock");
  const containersConf = resolve(import.meta.dirname, "../../infra/containers/containers.conf");
  podman = spawn("podman", ["system", "service", "--time=0", `unix://${socket}`], {
    stdio: "ignore",
    env: { ...process.env, CONTAINERS_CONF: containersConf },
  });
  const deadline = Date.now() + 15_000;
  while (!existsSync(socket)) {
    if (Date.now() > deadline || podman.exitCode !== null)
      throw new Error("podman system service did not start; run scripts/setup.sh --test");
    await sleep(50);
  }
  Object.assign(process.env, {
    DOCKER_HOST: `unix://${socket}`,
    TESTCONTAINERS_RYUK_DISABLED: "true",
    TESTCONTAINERS_HOST_OVERRIDE: "127.0.0.1",
    CONTAINERS_CONF: containersConf,
  });
}

export async function teardown(): Promise<void> {
  if (podman?.pid !== undefined) await stopPid(podman.pid, "SIGTERM", 5000);
  if (socketDir) rmSync(socketDir, { recursive: true, force: true });
}
