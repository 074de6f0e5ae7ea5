import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { injectWriteFaults, logMessage } from "../../_lib/test/event-log.ts";
import { Stack, loadBundles, newAccount, type FunctionName } from "../../_lib/test/stack.ts";

let bundles: Map<FunctionName, string>;
let stack: Stack;
const [A, B, C] = [newAccount(), newAccount(), newAccount()];

beforeAll(async () => void (bundles = await loadBundles(["project-catalog"])));
beforeEach(() => void (stack = new Stack(bundles)));

const deliver = (message: ReturnType<typeof logMessage>) => stack.deliver("project-catalog", message);

describe("project-catalog bundle", () => {
  it("given shares and an unshare, when delivered, then PROJ_CATALOG holds the owner and who it is still shared with", () => {
    for (const m of [
      logMessage(1, A, B, "movies", "catalog_shared"),
      logMessage(2, A, C, "movies", "catalog_shared"),
      logMessage(3, A, B, "movies", "catalog_unshared"),
    ]) {
      expect(deliver(m)).toEqual({ ok: true });
    }
    expect(stack.kvGet("PROJ_CATALOG", "movies")).toEqual({
      catalog_name: "movies",
      owner: A,
      shared_with: [C],
      applied_seq: 3,
    });
  });

  it("given an applied share, when redelivered, then the KV bytes are identical", () => {
    const share = logMessage(1, A, B, "movies", "catalog_shared");
    deliver(share);
    const once = stack.snapshot(["PROJ_CATALOG"]);
    expect(deliver(share)).toEqual({ ok: true });
    expect(stack.snapshot(["PROJ_CATALOG"])).toEqual(once);
  });

  it("given events it does not project, when delivered, then {ok:true} and nothing is written", () => {
    expect(deliver(logMessage(1, A, "none", "none", "natster_initialized"))).toEqual({ ok: true });
    expect(deliver(logMessage(2, A, B, "movies", "catalog_imported"))).toEqual({ ok: true });
    expect(stack.snapshot(["PROJ_CATALOG"])).toEqual({ PROJ_CATALOG: {} });
  });

  it("given a failing KV, when delivered, then {ok:false, retry:true}", () => {
    injectWriteFaults(stack, ["PROJ_CATALOG"], () => true);
    expect(deliver(logMessage(1, A, B, "movies", "catalog_shared"))).toMatchObject({ ok: false, retry: true });
  });

  it("given a malformed event, when delivered, then {ok:false, retry:false}", () => {
    expect(
      stack.invoke("project-catalog", "natster.internal.projections.catalog", new TextEncoder().encode("[]")),
    ).toMatchObject({ ok: false, retry: false });
  });
});
