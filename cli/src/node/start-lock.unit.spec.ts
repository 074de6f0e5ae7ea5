import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withStartLock } from "./start-lock.ts";

describe("the node start lock", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "natster-lock-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("given two commands at once, when both take the lock, then the second starts only after the first released it", async () => {
    const lock = join(dir, "start.lock");
    const order: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const first = withStartLock(lock, async () => {
      order.push("first in");
      await new Promise<void>((r) => (releaseFirst = r));
      order.push("first out");
    });
    const second = withStartLock(lock, () => {
      order.push("second in");
      return Promise.resolve();
    });
    await Promise.resolve();
    expect(order).toEqual(["first in"]);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(["first in", "first out", "second in"]);
    expect(existsSync(lock)).toBe(false);
  });

  it("given a lock left by a process that is gone, when taken, then it is taken over", async () => {
    const lock = join(dir, "start.lock");
    writeFileSync(lock, "999999999");
    await expect(withStartLock(lock, () => Promise.resolve("ran"))).resolves.toBe("ran");
  });

  it("given the work fails, when it throws, then the lock is released anyway", async () => {
    const lock = join(dir, "start.lock");
    await expect(withStartLock(lock, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(existsSync(lock)).toBe(false);
  });
});
