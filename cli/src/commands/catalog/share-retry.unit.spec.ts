import { NatsterError, type ErrorCode } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { putWithRetry } from "./share-retry.ts";

const failure = (code: ErrorCode) => new NatsterError(code, `failed with ${code}`);

/** A put that answers from `script` in turn: an error to throw or a reply to return. */
function scriptedPut(script: (NatsterError | { seq: number })[]) {
  let calls = 0;
  const put = () => {
    const next = script[calls++];
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next!);
  };
  return { put, calls: () => calls };
}

const waits: number[] = [];
const wait = (ms: number) => {
  waits.push(ms);
  return Promise.resolve();
};

describe("putWithRetry", () => {
  it("given an append that is stored at once, then it returns the reply and never waits", async () => {
    waits.length = 0;
    const { put, calls } = scriptedPut([{ seq: 7 }]);
    expect(await putWithRetry("share", put, wait)).toEqual({ kind: "stored", reply: { seq: 7 } });
    expect(calls()).toBe(1);
    expect(waits).toEqual([]);
  });

  it("given INTERNAL then TIMEOUT then a stored append, then it asks three times, waiting the delays in turn", async () => {
    waits.length = 0;
    const { put, calls } = scriptedPut([failure("INTERNAL"), failure("TIMEOUT"), { seq: 9 }]);
    const retried: string[] = [];
    const outcome = await putWithRetry("share", put, wait, (e) => retried.push(e.code), [10, 20, 30]);
    expect(outcome).toEqual({ kind: "stored", reply: { seq: 9 } });
    expect(calls()).toBe(3);
    expect(waits).toEqual([10, 20]);
    expect(retried).toEqual(["INTERNAL", "TIMEOUT"]);
  });

  it("given a share whose first answer was lost, when the repeat is refused as DUPLICATE, then the change is already true", async () => {
    const { put } = scriptedPut([failure("TIMEOUT"), failure("DUPLICATE")]);
    expect(await putWithRetry("share", put, wait, undefined, [1])).toEqual({ kind: "already-true" });
  });

  it("given an unshare whose first append failed, when the repeat is refused as NOT_FOUND, then the change is already true", async () => {
    const { put } = scriptedPut([failure("INTERNAL"), failure("NOT_FOUND")]);
    expect(await putWithRetry("unshare", put, wait, undefined, [1])).toEqual({ kind: "already-true" });
  });

  it("given DUPLICATE on the first attempt, then it is the person's mistake and is thrown", async () => {
    const { put } = scriptedPut([failure("DUPLICATE")]);
    await expect(putWithRetry("share", put, wait)).rejects.toMatchObject({ code: "DUPLICATE" });
  });

  it("given a refusal that no retry changes (RATE_LIMITED, FORBIDDEN), then it is thrown at once", async () => {
    for (const code of ["RATE_LIMITED", "FORBIDDEN", "SERVICE_UNAVAILABLE"] as const) {
      const { put, calls } = scriptedPut([failure(code), { seq: 1 }]);
      await expect(putWithRetry("share", put, wait)).rejects.toMatchObject({ code });
      expect(calls()).toBe(1);
    }
  });

  it("given uncertain failures past the last delay, then the last one is thrown", async () => {
    const { put, calls } = scriptedPut([failure("INTERNAL"), failure("INTERNAL"), failure("TIMEOUT")]);
    await expect(putWithRetry("share", put, wait, undefined, [1, 1])).rejects.toMatchObject({ code: "TIMEOUT" });
    expect(calls()).toBe(3);
  });
});
