import { NONE } from "@natster/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GlobalClient } from "../../cli/src/global-client.ts";
import { createTestUser, publicAuthorityClient } from "../support/authority.ts";
import { startFullStack, type FullStack } from "../support/full-stack.ts";

describe("the global service on the Nex node (smoke)", () => {
  let stack: FullStack;
  beforeAll(async () => {
    stack = await startFullStack();
  }, 180_000);
  afterAll(() => stack?.stop());

  it("whoami before and after natster_initialized, through the user's own import", async () => {
    const alice = await createTestUser(stack, await publicAuthorityClient(stack), "alice");
    const global = new GlobalClient(await alice.connect());
    expect(await global.whoami()).toBeUndefined();
    await global.putEvent({ catalog: NONE, target: NONE, event_type: "natster_initialized", data: null });
    const deadline = Date.now() + 10_000;
    let me = await global.whoami();
    while (!me && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      me = await global.whoami();
    }
    expect(me?.account_key).toBe(alice.account.getPublicKey());
    expect(me?.initialized).toBeGreaterThan(0);
  });
});
