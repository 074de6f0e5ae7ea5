import { describe, expect, it } from "vitest";
import { mayWarmAnother, pickIdleWorker, WARM_WORKERS_PER_SCRIPT } from "./pick-worker.ts";

describe("which idle worker takes a function call", () => {
  it("given no idle worker, when a call comes, then none is picked", () => {
    expect(pickIdleWorker([], "fn")).toEqual({ index: -1, warmAnother: false });
  });

  it("given one worker of the script still making its context and one with it made, when a call comes, then the one with it made takes it", () => {
    const idle = [
      { warmFor: "fn", contextReady: true },
      { warmFor: "fn", contextReady: false },
    ];
    expect(pickIdleWorker(idle, "fn")).toEqual({ index: 0, warmAnother: false });
  });

  it("given the script's only idle worker still making its context, when a call comes, then it takes the call and another worker should start warm", () => {
    const idle = [
      { warmFor: "other", contextReady: true },
      { warmFor: "fn", contextReady: false },
      { warmFor: "other", contextReady: true },
    ];
    expect(pickIdleWorker(idle, "fn")).toEqual({ index: 1, warmAnother: true });
  });

  it("given no idle worker ran the script, when a call comes, then the most recently used takes it", () => {
    const idle = [{ warmFor: "a", contextReady: true }, { contextReady: false }, { warmFor: "b", contextReady: true }];
    expect(pickIdleWorker(idle, "fn")).toEqual({ index: 2, warmAnother: false });
  });

  it("given a script already run by the most warm workers, when another is asked for, then none starts", () => {
    expect(mayWarmAnother(WARM_WORKERS_PER_SCRIPT, 1, 8)).toBe(false);
    expect(mayWarmAnother(WARM_WORKERS_PER_SCRIPT - 1, 1, 8)).toBe(true);
  });

  it("given a full pool, when another warm worker is asked for, then none starts", () => {
    expect(mayWarmAnother(1, 8, 8)).toBe(false);
  });
});
