import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringReturn, runaway } from "../fixtures/nex/scripts.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";
import { recordEvents, startNexOnStack, type NexTestNode } from "./nex-harness.ts";

describe("nex node: a runaway function", () => {
  let stack: TestStack;
  let nex: NexTestNode;

  beforeAll(async () => {
    stack = await startTestStack();
    nex = await startNexOnStack(stack);
  });
  afterAll(() => stack?.stop());

  it("is killed at its 5 s limit while another function keeps answering, and answers again afterwards", async () => {
    const failed = recordEvents(nex.nc, "function_exec_failed");
    const { id: runawayId } = await nex.deploy("runaway", runaway, { type: "v8", triggerSubjects: ["loop.run"] });
    await nex.deploy("healthy", stringReturn, { type: "v8", triggerSubjects: ["loop.healthy"] });
    expect(await nex.request("loop.run", "warm up")).toBe('"alive"');

    const started = Date.now();
    const spin = nex.request("loop.run", "spin", 6_000).then(
      () => "replied",
      (e: Error) => e.message,
    );
    const killed = failed.next((e) => e.data.workload_id === runawayId, 8_000);
    let stillSpinning = true;
    void killed.then(() => (stillSpinning = false));

    const answeredWhileSpinning: number[] = [];
    while (stillSpinning) {
      const reply = await nex.request("loop.healthy", "meanwhile", 2_000);
      expect(reply).toBe('"heya meanwhile"');
      if (stillSpinning) answeredWhileSpinning.push(Date.now() - started);
    }
    const event = await killed;
    const killedAfter = Date.now() - started;

    expect(event.data.error).toBe("v8 execution timed out after 5000ms");
    expect(killedAfter).toBeGreaterThanOrEqual(5_000);
    expect(killedAfter).toBeLessThan(7_000);
    // The healthy function answered throughout the runaway's five seconds, not just at the start.
    expect(answeredWhileSpinning.length).toBeGreaterThan(10);
    expect(answeredWhileSpinning.at(-1)).toBeGreaterThan(4_000);
    expect(await spin).toMatch(/timeout/i);
    expect(await nex.request("loop.run", "again")).toBe('"alive"');
  });
});
