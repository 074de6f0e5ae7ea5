import { describe, expect, it } from "vitest";
import { chunksToPrepare, OrderedPipeline } from "./ordered-pipeline.ts";

/** A promise the test settles by hand, so every interleaving is chosen, not raced. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("ordered pipeline (crypto overlapping I/O, results in start order)", () => {
  it("given three steps started at once, then all run before the first finishes", () => {
    const pipeline = new OrderedPipeline<number>(3);
    const started: number[] = [];
    for (const n of [0, 1, 2]) {
      pipeline.push(() => {
        started.push(n);
        return deferred<number>().promise;
      });
    }
    expect(started).toEqual([0, 1, 2]);
    expect(pipeline.full).toBe(true);
  });

  it("given steps that finish in reverse order, then take() still yields them in start order", async () => {
    const pipeline = new OrderedPipeline<string>(3);
    const steps = [deferred<string>(), deferred<string>(), deferred<string>()];
    for (const d of steps) pipeline.push(() => d.promise);
    steps[2]!.resolve("chunk 2 (final)");
    steps[1]!.resolve("chunk 1");
    steps[0]!.resolve("chunk 0");
    expect(await pipeline.take()).toBe("chunk 0");
    expect(await pipeline.take()).toBe("chunk 1");
    expect(await pipeline.take()).toBe("chunk 2 (final)");
    expect(pipeline.take()).toBeUndefined();
  });

  it("given a failing step in the middle, then the steps before it are delivered first and its error comes in its turn", async () => {
    const pipeline = new OrderedPipeline<string>(3);
    const steps = [deferred<string>(), deferred<string>(), deferred<string>()];
    for (const d of steps) pipeline.push(() => d.promise);
    steps[1]!.reject(new Error("chunk 1 failed authentication"));
    steps[0]!.resolve("chunk 0");
    steps[2]!.resolve("chunk 2");
    expect(await pipeline.take()).toBe("chunk 0");
    await expect(pipeline.take()).rejects.toThrow("chunk 1 failed authentication");
  });

  it("given a full pipeline, then starting one more step is refused instead of running unbounded", () => {
    const pipeline = new OrderedPipeline<number>(2);
    pipeline.push(() => Promise.resolve(0));
    pipeline.push(() => Promise.resolve(1));
    expect(() => pipeline.push(() => Promise.resolve(2))).toThrow(RangeError);
  });

  it("given a cleared pipeline with a failed step, then nothing is pending and no rejection escapes", async () => {
    const pipeline = new OrderedPipeline<number>(2);
    const failing = deferred<number>();
    pipeline.push(() => failing.promise);
    pipeline.clear();
    failing.reject(new Error("dropped"));
    await Promise.resolve();
    expect(pipeline.size).toBe(0);
    expect(pipeline.take()).toBeUndefined();
  });

  it("given a depth that is not a positive integer, then it is refused", () => {
    expect(() => new OrderedPipeline(0)).toThrow(RangeError);
  });
});

describe("chunks the sender prepares ahead", () => {
  it("given credit for 16 chunks and a depth of 4, then it starts 4 and no more", () => {
    expect(chunksToPrepare({ prepared: 0, total: 100, creditLimit: 16, inFlight: 0, depth: 4 })).toBe(4);
  });

  it("given the window is used up, then nothing beyond the credit is read or encrypted", () => {
    expect(chunksToPrepare({ prepared: 16, total: 100, creditLimit: 16, inFlight: 2, depth: 4 })).toBe(0);
  });

  it("given two chunks left in the file, then only those two start", () => {
    expect(chunksToPrepare({ prepared: 98, total: 100, creditLimit: 200, inFlight: 0, depth: 4 })).toBe(2);
  });

  it("given three in flight out of four, then one more starts", () => {
    expect(chunksToPrepare({ prepared: 5, total: 100, creditLimit: 16, inFlight: 3, depth: 4 })).toBe(1);
  });
});
