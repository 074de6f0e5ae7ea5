import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Locator } from "playwright-core";
import { expect } from "vitest";
import { isAlive } from "../../../infra/stack/processes.ts";
import { Cleanup, notYet, until } from "@natster/test-kit";
import { natster, show, stopAllProcesses, type E2eStack } from "./cli-e2e.ts";

/** Polls a catalog's badge (every 50 ms, bounded) and returns when it first read `state`. */
export async function whenBadge(button: Locator, state: "online" | "offline", timeoutMs: number): Promise<number> {
  // The button reads e.g. "Ffilmsonlinefrom ACQN…": its spans have no spaces between them.
  const badge = async () => {
    const text = (await button.textContent({ timeout: 1000 }).catch(() => null)) ?? "";
    return text.includes("offline") ? "offline" : text.includes("online") ? "online" : undefined;
  };
  await expect.poll(badge, { interval: 50, timeout: timeoutMs }).toBe(state);
  return Date.now();
}

export type WebFullResources = {
  root?: string;
  stack?: E2eStack;
  context?: BrowserContext;
  serverLog?: { close(): Promise<void> | void };
};

/**
 * Stops everything the full web test started: Chromium, the log reader, the catalog servers and,
 * even when `up` failed half-way, `natster down` (it stops exactly what `up` recorded). Throws the
 * collected failures at the end, so one failing step does not hide the others.
 */
export async function stopWebFull(r: WebFullResources): Promise<void> {
  const cleanup = new Cleanup();
  await cleanup.attempt("close Chromium", async () => r.context?.close());
  await cleanup.attempt("stop the log reader", async () => r.serverLog?.close());
  await cleanup.attempt("stop the catalog servers", () => stopAllProcesses());
  if (r.root && existsSync(join(r.root, "stack-home"))) {
    const home = join(r.root, "stack-home");
    await cleanup.attempt("natster down", async () => {
      const down = await natster(["--json", "down"], { NATSTER_HOME: home });
      if (down.code !== 0) throw new Error(show(down));
    });
    const pids = r.stack?.info.components.map((c) => c.pid) ?? [];
    await cleanup.attempt("the stack's processes are gone", () =>
      until(
        () => {
          const alive = pids.filter((pid) => isAlive(pid));
          return Promise.resolve(alive.length === 0 ? true : notYet(`alive: ${alive.join(", ")}`));
        },
        "every process of `natster up` exits",
        10_000,
        200,
      ),
    );
  }
  if (r.root) rmSync(r.root, { recursive: true, force: true });
  cleanup.done("cleanup failed");
}
