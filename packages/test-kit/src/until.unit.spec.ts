import { describe, expect, it } from "vitest";
import { notYet, until } from "./until.ts";

describe("until", () => {
  it("given a probe that holds on its third call, when awaited, then it returns that value", async () => {
    let calls = 0;
    const value = await until(() => (++calls === 3 ? `call ${calls}` : undefined), "the third call", 60_000, 0);
    expect(value).toBe("call 3");
  });

  it("given a probe that never holds, when the deadline has passed, then the failure names what was awaited and the last reason", async () => {
    await expect(
      until(
        () => notYet("2 of 3 replicas"),
        () => "every replica",
        0,
        0,
      ),
    ).rejects.toThrow(/waiting for every replica; last: 2 of 3 replicas/);
  });

  it("given a probe that throws before it holds, when awaited, then the error counts as not yet", async () => {
    let calls = 0;
    const value = await until(
      () => {
        if (++calls < 2) throw new Error("not connected");
        return true;
      },
      "a connection",
      60_000,
      0,
    );
    expect(value).toBe(true);
  });

  it("given a probe that only throws, when the deadline has passed, then the failure carries the last error", async () => {
    await expect(until(() => Promise.reject(new Error("no responders")), "an answer", 0, 0)).rejects.toThrow(
      /last: error: no responders/,
    );
  });
});
