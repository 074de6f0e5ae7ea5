import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { buildWeb } from "../web/build.ts";
import { freePort, isPortFree } from "./ports.ts";
import { stackPaths } from "@natster/identity";
import { spawnLogged } from "./processes.ts";
import { repoRoot, tsxCommand } from "@natster/node-kit";
import { isStale } from "./freshness.ts";
import { WEB_DIST } from "../web/vite-config.ts";
import { StackError } from "./stack-error.ts";

export const WEB_ENTRY = "infra/web/main.ts";
export const DEFAULT_WEB_PORT = 4280;

/**
 * The web port: as asked; else 4280 next to the default NATS port; else (a stack on other ports,
 * e.g. a test) any free port, so two stacks never fight over 4280.
 */
export async function chooseWebPort(host: string, asked: number | undefined, clientPort: number): Promise<number> {
  const port = asked ?? (clientPort === 4222 ? DEFAULT_WEB_PORT : await freePort(host));
  if (!(await isPortFree(host, port))) {
    throw new StackError(
      "PORT_TAKEN",
      `web port ${port} on ${host} is taken by another process; pick another with --web-port`,
    );
  }
  return port;
}

/**
 * Builds the web app and serves it (with /stack.json from the client info) as a detached process.
 * `onSpawn` records the PID before the readiness wait, so `down` can stop it even if `up` dies waiting.
 */
export async function spawnWebServer(
  dir: string,
  host: string,
  port: number,
  clientInfo: string,
  onSpawn: (pid: number) => void,
): Promise<number> {
  const sources = ["web", "packages/protocol/src", "packages/transfer/src"].map((p) => join(repoRoot, p));
  if (isStale(join(WEB_DIST, "index.html"), sources)) await buildWeb();
  const { command, args } = tsxCommand(WEB_ENTRY);
  const pid = spawnLogged({
    command,
    args: [...args, "--host", host, "--port", String(port), "--client-info", clientInfo],
    logPath: join(stackPaths(dir).logs, "web.log"),
    detached: true,
  });
  onSpawn(pid);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://${host}:${port}/stack.json`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return pid;
    await sleep(100);
  }
  throw new StackError("START_FAILED", `the web server did not answer on ${host}:${port} (log: web.log)`);
}
