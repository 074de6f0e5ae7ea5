import { setTimeout as sleep } from "node:timers/promises";

/** Waits until `check` holds, or fails after `timeoutMs` saying what was awaited and where things stood. */
export async function eventually(check: () => boolean | Promise<boolean>, describe: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${describe()}`);
    await sleep(20);
  }
}
