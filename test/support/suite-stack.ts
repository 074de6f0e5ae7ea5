import { afterAll, beforeAll } from "vitest";

/**
 * A stack for the whole suite (describe block): `start` runs before its tests, then `setup` on the
 * stack (connections, users, services); the stack is disposed after the suite, or at once if setup
 * fails. The returned object is filled in by `beforeAll`: read its fields inside tests and hooks.
 */
export function suiteStack<S extends AsyncDisposable, T extends object = object>(
  start: () => Promise<S>,
  setup?: (stack: S) => Promise<T>,
  timeoutMs?: number,
): { stack: S } & T {
  const suite = {} as { stack: S } & T;
  let started: S | undefined;
  beforeAll(async () => {
    started = await start();
    try {
      Object.assign(suite, { stack: started }, setup ? await setup(started) : {});
    } catch (e) {
      await started[Symbol.asyncDispose]();
      started = undefined;
      throw e;
    }
  }, timeoutMs);
  afterAll(() => started?.[Symbol.asyncDispose]());
  return suite;
}
