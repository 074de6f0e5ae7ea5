import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Stack, loadBundles, newAccount, type FunctionName } from "../../_lib/test/stack.ts";

let bundles: Map<FunctionName, string>;
let stack: Stack;
const me = newAccount();
const friend = newAccount();

beforeAll(
  async () =>
    void (bundles = await loadBundles([
      "global-my",
      "global-events",
      "global-heartbeats",
      "project-account",
      "project-catalog",
    ])),
);
beforeEach(() => void (stack = new Stack(bundles)));

const put = (caller: string, body: object) => stack.api(caller, "events.put", body);

describe("global-my bundle (my.shares)", () => {
  it("given an unknown caller, when asked, then [] (upstream crashed)", () => {
    expect(JSON.stringify(stack.api(me, "my.shares"))).toBe('{"code":200,"data":[]}');
  });

  it("given a share received before init, when the never-initialized recipient asks, then the share is listed (nothing blocks on init)", () => {
    put(friend, { event_type: "natster_initialized" });
    put(friend, { event_type: "catalog_shared", catalog: "music", target: me });
    stack.project();
    expect(stack.api(me, "my.shares")).toEqual({
      code: 200,
      data: [{ from_account: friend, to_account: me, catalog: "music", catalog_online: false, revision: 0 }],
    });
  });

  it("given an account the log never mentioned, when it asks, then [] (upstream crashed, bug 9)", () => {
    expect(stack.api(me, "my.shares")).toEqual({ code: 200, data: [] });
  });

  it("given out-shares, in-shares and an online catalog, when asked, then upstream's order and online state", () => {
    put(me, { event_type: "natster_initialized" });
    put(friend, { event_type: "natster_initialized" });
    put(me, { event_type: "catalog_shared", catalog: "movies", target: friend });
    put(friend, { event_type: "catalog_shared", catalog: "music", target: me });
    stack.project();
    stack.api(friend, "heartbeats.put", { catalog: "music", account_key: friend, revision: 5 });
    expect(stack.api(me, "my.shares")).toEqual({
      code: 200,
      data: [
        { from_account: me, to_account: friend, catalog: "movies", catalog_online: false, revision: 0 },
        {
          from_account: stack.config.hub,
          to_account: me,
          catalog: "hub",
          catalog_online: false,
          revision: 0,
          from_name: "Natster hub",
        },
        { from_account: friend, to_account: me, catalog: "music", catalog_online: true, revision: 5 },
      ],
    });
  });

  it("given the names given at init, when asked, then each share names the other account (from its first natster_initialized), display only", () => {
    put(me, { event_type: "natster_initialized", data: { account_key: me, account_name: "me" } });
    put(friend, { event_type: "natster_initialized", data: { account_key: friend, account_name: " alice " } });
    put(me, { event_type: "catalog_shared", catalog: "movies", target: friend });
    put(friend, { event_type: "catalog_shared", catalog: "music", target: me });
    stack.project();
    const shares = (stack.api(me, "my.shares") as { data: { catalog: string; from_name?: string; to_name?: string }[] })
      .data;
    expect(shares.find((s) => s.catalog === "movies")).toMatchObject({ to_name: "alice" });
    expect(shares.find((s) => s.catalog === "music")).toMatchObject({ from_name: "alice" });
  });

  it.each([
    ["my.list", 404, "UNKNOWN_VERB", {}],
    ["my.shares", 413, "PAYLOAD_TOO_LARGE", "x".repeat(20_000)],
  ] as const)("given %s, when called, then %i %s", (op, code, errorCode, body) => {
    expect(stack.api(me, op, body)).toMatchObject({ code, error_code: errorCode });
  });
});
