import { afterAll, beforeAll, describe, it } from "vitest";
import { join } from "node:path";
import { startFullStack, type FullStack } from "../support/full-stack.ts";
import { runNatster } from "../support/cli-runner.ts";
import { publicAuthorityClient } from "../support/authority.ts";
import { initialize, newMember } from "../support/global-service.ts";

describe("scratch", () => {
  let stack: FullStack;
  beforeAll(async () => { stack = await startFullStack(); }, 180_000);
  afterAll(() => stack?.stop());
  it("cli human", async () => {
    const m = await newMember(stack, await publicAuthorityClient(stack), "x");
    await initialize(m);
    const env = { NATSTER_STACK_DIR: stack.dir, NATSTER_HOME: join(stack.dir, "home") };
    const r = await runNatster(["--server", stack.url, "admin", "rebuild-projections"], env);
    console.log(JSON.stringify(r, null, 1));
    const h = await runNatster(["admin", "--help"], env);
    console.log(h.stdout);
    const bad = await runNatster(["--json", "admin", "rebuild-projections"], { ...env, NATSTER_STACK_DIR: join(stack.dir, "nope") });
    console.log(JSON.stringify(bad));
    const bad2 = await runNatster(["admin", "rebuild-projections"], { ...env });
    console.log(JSON.stringify(bad2));
  }, 300_000);
});
