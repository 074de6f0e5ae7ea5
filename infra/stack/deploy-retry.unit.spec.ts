import { describe, expect, it } from "vitest";
import { retryNexDeploy } from "./deploy-retry.ts";

const poolRace = new Error("Could not deploy workload, agent pool did not initialize properly");

describe("retrying real Nex's agent-pool races", () => {
  it("given a pool race, then the deploy is tried again and its result returned", async () => {
    let calls = 0;
    const result = await retryNexDeploy(
      () => (++calls < 3 ? Promise.reject(poolRace) : Promise.resolve({ id: "w1" })),
      () => Promise.resolve(undefined),
      5,
      1,
    );
    expect(result).toEqual({ id: "w1" });
    expect(calls).toBe(3);
  });

  it("given a pool race after which the workload runs anyway, then the running one is returned, not deployed twice", async () => {
    let calls = 0;
    const result = await retryNexDeploy(
      () => (calls++, Promise.reject(poolRace)),
      () => Promise.resolve({ id: "already" }),
      5,
      1,
    );
    expect(result).toEqual({ id: "already" });
    expect(calls).toBe(1);
  });

  it("given another error, then it fails at once", async () => {
    let calls = 0;
    const refused = new Error("Invalid deploy request: invalid workload name");
    await expect(
      retryNexDeploy(
        () => (calls++, Promise.reject(refused)),
        () => Promise.resolve(undefined),
        5,
        1,
      ),
    ).rejects.toBe(refused);
    expect(calls).toBe(1);
  });

  it("given races on every attempt, then the last error is thrown after the allowed attempts", async () => {
    let calls = 0;
    await expect(
      retryNexDeploy(
        () => (calls++, Promise.reject(poolRace)),
        () => Promise.resolve(undefined),
        3,
        1,
      ),
    ).rejects.toBe(poolRace);
    expect(calls).toBe(3);
  });
});
