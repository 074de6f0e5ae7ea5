import { setTimeout as sleep } from "node:timers/promises";

/** What a probe returns while its condition does not hold yet, saying where things stand. */
export type NotYet = { readonly notYet: string };
export const notYet = (why: string): NotYet => ({ notYet: why });

const isNotYet = (value: unknown): value is NotYet => typeof value === "object" && value !== null && "notYet" in value;

export type Probe<T> = () => T | undefined | false | NotYet | Promise<T | undefined | false | NotYet>;

/**
 * Polls `probe` until it yields a value (anything but undefined, false or `notYet(why)`) and returns it.
 * The deadline only guards against a condition that never comes: the verdict is the condition, never
 * the time it took. A throwing probe counts as "not yet"; the failure names what was awaited and the
 * last state seen (the last `notYet` reason or error).
 */
export async function until<T>(
  probe: Probe<T>,
  what: string | (() => string),
  timeoutMs = 15_000,
  pollMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let tries = 0;
  for (;;) {
    let last: string | undefined;
    try {
      const value = await probe();
      if (isNotYet(value)) last = value.notYet;
      else if (value !== undefined && value !== false) return value;
    } catch (e) {
      last = `error: ${e instanceof Error ? e.message : String(e)}`;
    }
    tries++;
    if (Date.now() > deadline) {
      const described = typeof what === "string" ? what : what();
      throw new Error(
        `timed out after ${timeoutMs} ms (${tries} tries) waiting for ${described}${last ? `; last: ${last}` : ""}`,
      );
    }
    await sleep(pollMs);
  }
}
