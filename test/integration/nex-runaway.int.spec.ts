import { describe, expect, it } from "vitest";
import { stringReturn, runaway } from "../fixtures/nex/scripts.ts";
import { startTestStack } from "../support/test-stack.ts";
import { recordEvents, startNexOnStack } from "./nex-harness.ts";
import { suiteStack } from "../support/suite-stack.ts";

describe("nex node: a runaway function", () => {
  const suite = suiteStack(startTestStack, async (stack) => ({ nex: await startNexOnStack(stack) }));

  it("is killed at its 5 s limit while another function keeps answering, and answers again afterwards", async () => {
    const failed = recordEvents(suite.nex.nc, "function_exec_failed");
    const { id: runawayId } = await suite.nex.deploy("runaway", runaway, { type: "v8", triggerSubjects: ["loop.run"] });
    await suite.nex.deploy("healthy", stringReturn, { type: "v8", triggerSubjects: ["loop.healthy"] });
    expect(await suite.nex.request("loop.run", "warm up")).toBe('"alive"');

    // The runaway says when it spins (a synchronous host call just before its endless loop), so
    // the healthy function is asked while the runaway is certainly running, whatever the load.
    const spinning = suite.nex.nc.subscribe("loop.spinning", { max: 1 });
    await suite.nex.nc.flush();
    const started = Date.now();
    const spin = suite.nex.request("loop.run", "spin", 6_000).then(
      () => "replied",
      (e: Error) => e.message,
    );
    const killed = failed.next((e) => e.data.workload_id === runawayId, 8_000);
    for await (const _ of spinning) break;
    let killedYet = false;
    void killed.then(() => (killedYet = true));

    const reply = await suite.nex.request("loop.healthy", "meanwhile", 2_000);
    expect(reply).toBe('"heya meanwhile"');
    // Answered within the runaway's 5 s: a spinning worker does not block the others.
    expect(killedYet, "the healthy answer came only after the runaway was killed").toBe(false);
    const event = await killed;

    expect(event.data.error).toBe("v8 execution timed out after 5000ms");
    expect(Date.now() - started, "not killed before its 5 s limit").toBeGreaterThanOrEqual(5_000);
    expect(await spin).toMatch(/timeout/i);
    expect(await suite.nex.request("loop.run", "again")).toBe('"alive"');
  });
});
