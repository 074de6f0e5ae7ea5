import { describe, expect, it } from "vitest";
import { LocalLocks } from "./account-locks.ts";

const deferred = () => {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return { done, release };
};

describe("LocalLocks: one change of an account at a time in one instance", () => {
  it("given two changes of one account, when the first is still running, then the second starts only after it", async () => {
    const locks = new LocalLocks();
    const log: string[] = [];
    const gate = deferred();
    const first = locks.run("A", async () => {
      log.push("first in");
      await gate.done;
      log.push("first out");
    });
    const second = locks.run("A", () => {
      log.push("second in");
      return Promise.resolve();
    });
    await Promise.resolve();
    expect(log).toEqual(["first in"]);
    gate.release();
    await Promise.all([first, second]);
    expect(log).toEqual(["first in", "first out", "second in"]);
  });

  it("given changes of two accounts, when one is held, then the other runs", async () => {
    const locks = new LocalLocks();
    const gate = deferred();
    const held = locks.run("A", () => gate.done);
    expect(await locks.run("B", () => Promise.resolve("b ran"))).toBe("b ran");
    gate.release();
    await held;
  });

  it("given a change that fails, when the next comes, then it still runs and each gets its own outcome", async () => {
    const locks = new LocalLocks();
    const failed = locks.run("A", () => Promise.reject(new Error("boom")));
    const next = locks.run("A", () => Promise.resolve(42));
    await expect(failed).rejects.toThrow("boom");
    expect(await next).toBe(42);
  });
});
