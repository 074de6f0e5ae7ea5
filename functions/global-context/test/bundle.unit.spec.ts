import { Subjects } from "@natster/protocol";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Stack, loadBundles, newAccount, type FunctionName } from "../../_lib/test/stack.ts";

let bundles: Map<FunctionName, string>;
let stack: Stack;
const me = newAccount();

beforeAll(
  async () =>
    void (bundles = await loadBundles(["global-context", "global-events", "project-account", "project-catalog"])),
);
beforeEach(() => void (stack = new Stack(bundles)));

describe("global-context bundle (context.get)", () => {
  it("given a never-initialized caller, when asked, then 404 NOT_FOUND", () => {
    expect(stack.api(me, "context.get")).toMatchObject({ code: 404, data: null, error_code: "NOT_FOUND" });
  });

  it("given an initialized caller, when asked, then its own context, whatever the body names", () => {
    stack.api(me, "events.put", { event_type: "natster_initialized" });
    stack.project();
    const reply = stack.api(me, "context.get", { account_key: newAccount() });
    expect(reply).toEqual({ code: 200, data: { account_key: me, initialized_at: expect.any(Number) as unknown } });
  });

  it.each(["put", "list"])("given the verb %j, when called, then 404 UNKNOWN_VERB", (verb) => {
    expect(
      stack.invoke("global-context", Subjects.globalFromCaller(me, `context.${verb}`), new Uint8Array()),
    ).toMatchObject({ code: 404, error_code: "UNKNOWN_VERB" });
  });

  it("given an oversize body, when asked, then 413", () => {
    expect(stack.api(me, "context.get", new Uint8Array(20_000))).toMatchObject({ code: 413 });
  });
});
