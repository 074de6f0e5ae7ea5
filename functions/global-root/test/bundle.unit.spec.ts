import { Subjects } from "@natster/protocol";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Stack, loadBundles, newAccount, type FunctionName } from "../../_lib/test/stack.ts";

let bundles: Map<FunctionName, string>;
let stack: Stack;
const me = newAccount();

beforeAll(
  async () =>
    void (bundles = await loadBundles([
      "global-root",
      "global-events",
      "global-heartbeats",
      "project-account",
      "project-catalog",
    ])),
);
beforeEach(() => void (stack = new Stack(bundles)));

const init = (caller: string) =>
  stack.api(caller, "events.put", { catalog: "none", target: "none", event_type: "natster_initialized" });

describe("global-root bundle (stats, whoami)", () => {
  it("given a fresh stack, when stats are asked, then an object envelope of zeros", () => {
    expect(JSON.stringify(stack.api(me, "stats"))).toBe(
      '{"code":200,"data":{"total_initialized":0,"running_catalogs":0,"share_count":0}}',
    );
  });

  it("given two inits (each with a hub auto-share) and one catalog online, when stats are asked, then they come from the projections", () => {
    const other = newAccount();
    init(me);
    init(other);
    stack.project();
    stack.api(me, "heartbeats.put", { catalog: "movies", account_key: me, revision: 1 });
    expect(stack.api(me, "stats")).toEqual({
      code: 200,
      data: { total_initialized: 2, running_catalogs: 1, share_count: 2 },
    });
  });

  it("given a never-initialized caller, when whoami, then 404 NOT_FOUND", () => {
    expect(stack.api(me, "whoami")).toMatchObject({ code: 404, data: null, error_code: "NOT_FOUND" });
  });

  it("given an init not yet projected, when whoami, then the log answers with the same time the projection will hold", () => {
    init(me);
    const before = stack.api(me, "whoami");
    stack.project();
    const after = stack.api(me, "whoami");
    expect(before).toEqual(after);
    expect(after).toEqual({
      code: 200,
      data: { account_key: me, initialized: expect.any(Number) as unknown, bound: false },
    });
  });

  it("given another account's key anywhere but token 1, when whoami, then the answer is about the subject's caller", () => {
    init(me);
    expect(
      stack.invoke(
        "global-root",
        Subjects.globalFromCaller(newAccount(), "whoami"),
        new TextEncoder().encode(JSON.stringify({ account_key: me })),
      ),
    ).toMatchObject({ code: 404 });
  });

  it.each(["nope", "events", "heartbeats", "my"])("given the verb %j, when called, then 404 UNKNOWN_VERB", (verb) => {
    expect(stack.invoke("global-root", Subjects.globalFromCaller(me, verb), new Uint8Array())).toMatchObject({
      code: 404,
      error_code: "UNKNOWN_VERB",
    });
  });

  it("given an oversize payload, when stats are asked, then 413", () => {
    expect(stack.api(me, "stats", new Uint8Array(16 * 1024 + 1))).toMatchObject({
      code: 413,
      error_code: "PAYLOAD_TOO_LARGE",
    });
  });
});
