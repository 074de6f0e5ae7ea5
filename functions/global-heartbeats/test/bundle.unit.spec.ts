import type { OnlineEntry } from "@natster/protocol";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Stack, loadBundles, newAccount, type FunctionName } from "../../_lib/test/stack.ts";

let bundles: Map<FunctionName, string>;
let stack: Stack;
const me = newAccount();
const moviesFan = newAccount();
const musicFan = newAccount();

beforeAll(
  async () =>
    void (bundles = await loadBundles(["global-heartbeats", "global-events", "project-account", "project-catalog"])),
);
beforeEach(() => {
  stack = new Stack(bundles);
  stack.api(me, "events.put", { event_type: "natster_initialized" });
  stack.api(me, "events.put", { event_type: "catalog_shared", catalog: "movies", target: moviesFan });
  stack.api(me, "events.put", { event_type: "catalog_shared", catalog: "music", target: musicFan });
  stack.project();
  stack.fake.published.length = 0;
});

describe("global-heartbeats bundle", () => {
  it("given a heartbeat, when put, then NATSTER_ONLINE holds <caller>.<catalog> and only that catalog's recipients hear it", () => {
    expect(stack.api(me, "heartbeats.put", { catalog: "Movies", account_key: me, revision: 7 })).toEqual({
      code: 200,
      data: "",
    });
    expect(stack.kvGet<OnlineEntry>("NATSTER_ONLINE", `${me}.movies`)).toEqual({
      catalog: "movies",
      account_key: me,
      revision: 7,
      seen_at: expect.any(Number) as unknown,
    });
    expect(stack.notifications()).toEqual([
      {
        subject: `${moviesFan}.natster.global-events.heartbeat`,
        payload: { catalog: "movies", account_key: me, revision: 7 },
      },
    ]);
  });

  it("given an online catalog, when it goes offline, then the key is gone at once and its recipients are told", () => {
    stack.api(me, "heartbeats.put", { catalog: "music", account_key: me, revision: 1 });
    expect(stack.api(me, "heartbeats.offline", { catalog: "music" })).toEqual({ code: 200, data: "" });
    expect(stack.kvGet("NATSTER_ONLINE", `${me}.music`)).toBeUndefined();
    expect(stack.notifications().at(-1)).toEqual({
      subject: `${musicFan}.natster.global-events.offline`,
      payload: { catalog: "music", account_key: me },
    });
  });

  it("given a heartbeat naming another account, when put, then 403 and nothing is stored", () => {
    expect(stack.api(me, "heartbeats.put", { catalog: "movies", account_key: moviesFan, revision: 1 })).toMatchObject({
      code: 403,
      error_code: "FORBIDDEN",
    });
    expect(stack.fake.buckets.get("NATSTER_ONLINE")?.size ?? 0).toBe(0);
  });

  it("given an uninitialized account, when it heart-beats, then it is online but nobody is told", () => {
    const stranger = newAccount();
    expect(
      stack.api(stranger, "heartbeats.put", { catalog: "movies", account_key: stranger, revision: 1 }),
    ).toMatchObject({ code: 200 });
    expect(stack.notifications()).toEqual([]);
  });

  it.each([
    ["heartbeats.put", 400, "BAD_JSON", "{"],
    ["heartbeats.put", 400, "BAD_REQUEST", { catalog: "movies" }],
    ["heartbeats.put", 400, "BAD_REQUEST", { catalog: "movies", account_key: me, revision: "x" }],
    ["heartbeats.put", 400, "BAD_CATALOG_NAME", { catalog: "", account_key: me }],
    ["heartbeats.offline", 400, "BAD_JSON", "nope"],
    ["heartbeats.offline", 400, "BAD_REQUEST", { catalog: 5 }],
    ["heartbeats.offline", 413, "PAYLOAD_TOO_LARGE", { catalog: "x".repeat(17_000) }],
    ["heartbeats.get", 404, "UNKNOWN_VERB", {}],
  ] as const)("given %s with bad input, when called, then %i %s", (op, code, errorCode, body) => {
    expect(stack.api(me, op, body)).toMatchObject({ code, data: null, error_code: errorCode });
  });
});
