import { MAX_GLOBAL_PAYLOAD, Subjects, type StoredEvent } from "@natster/protocol";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Stack, loadBundles, newAccount, type FunctionName } from "../../_lib/test/stack.ts";

let bundles: Map<FunctionName, string>;
let stack: Stack;
const me = newAccount();
const friend = newAccount();

beforeAll(async () => void (bundles = await loadBundles(["global-events", "project-account", "project-catalog"])));
beforeEach(() => void (stack = new Stack(bundles)));

const put = (body: unknown, caller = me) => stack.api(caller, "events.put", body);
const init = (caller = me) =>
  put({ catalog: "none", target: "none", event_type: "natster_initialized", data: { account_key: caller } }, caller);
const share = (catalog = "movies", target = friend, caller = me, type = "catalog_shared") =>
  put({ catalog, target, event_type: type, data: null }, caller);
const stored = (i: number) => JSON.parse(new TextDecoder().decode(stack.js.events[i]?.data)) as StoredEvent;

describe("global-events bundle (events.put)", () => {
  it("given a new account, when it initializes, then the reply carries the last sequence and the log holds init + hub auto-share", () => {
    expect(JSON.stringify(init())).toBe('{"code":200,"data":{"seq":2}}');
    expect(stack.js.events.map((e) => e.subject)).toEqual([
      `natster.events.${me}.none.none.natster_initialized`,
      `natster.events.${stack.config.hub}.${me}.hub.catalog_shared`,
    ]);
    expect(stored(0)).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
      time: expect.any(String) as unknown,
      event_type: "natster_initialized",
      data: { account_key: me },
    });
    expect(Date.parse(stored(0).time)).toBeGreaterThan(Date.now() - 60_000);
    expect(stored(1).id).not.toBe(stored(0).id);
    expect(stack.notifications()).toEqual([
      {
        subject: `${me}.natster.global-events.catalog_shared`,
        payload: { from_account: stack.config.hub, to_account: me, catalog: "hub" },
      },
    ]);
  });

  it("given identity fields in the payload, when put, then only subject token 1 counts", () => {
    init();
    put({
      catalog: "movies",
      target: friend,
      event_type: "catalog_shared",
      data: null,
      origin: friend,
      account_key: friend,
    });
    expect(stack.js.events.at(-1)?.subject).toBe(`natster.events.${me}.${friend}.movies.catalog_shared`);
  });

  it("given an init not yet projected, when the account initializes again or imports at once, then the log answers: 409, then 200", () => {
    init();
    expect(init()).toMatchObject({ code: 409, error_code: "ALREADY_INITIALIZED" });
    expect(share("hub", stack.config.hub, me, "catalog_imported")).toMatchObject({
      code: 200,
      data: { seq: expect.any(Number) as number },
    });
  });

  it("given a share, when repeated after projection, then 409 DUPLICATE and nothing is appended", () => {
    init();
    expect(share("Movies")).toMatchObject({ code: 200, data: { seq: expect.any(Number) as number } });
    expect(stack.js.events.at(-1)?.subject).toBe(`natster.events.${me}.${friend}.movies.catalog_shared`);
    expect(stack.notifications().at(-1)).toEqual({
      subject: `${friend}.natster.global-events.catalog_shared`,
      payload: { from_account: me, to_account: friend, catalog: "movies" },
    });
    stack.project();
    const count = stack.js.events.length;
    expect(share("movies")).toMatchObject({ code: 409, data: null, error_code: "DUPLICATE" });
    expect(stack.js.events).toHaveLength(count);
  });

  it("given a name owned by another account, when shared, then 409 NAME_TAKEN", () => {
    const owner = newAccount();
    init(owner);
    share("movies", friend, owner);
    init();
    stack.project();
    expect(share("movies", newAccount())).toMatchObject({ code: 409, error_code: "NAME_TAKEN" });
  });

  it("given a share, when unshared, then 200 and the target is told; unsharing again is 404", () => {
    init();
    share();
    stack.project();
    expect(share("movies", friend, me, "catalog_unshared")).toMatchObject({
      code: 200,
      data: { seq: expect.any(Number) as number },
    });
    expect(stack.notifications().at(-1)?.subject).toBe(`${friend}.natster.global-events.catalog_unshared`);
    stack.project();
    expect(share("movies", friend, me, "catalog_unshared")).toMatchObject({ code: 404, error_code: "NOT_FOUND" });
  });

  it("given an uninitialized caller, when it shares, then 403 NOT_INITIALIZED; to itself, 400 SELF_SHARE", () => {
    expect(share()).toMatchObject({ code: 403, error_code: "NOT_INITIALIZED" });
    init();
    expect(share("movies", me)).toMatchObject({ code: 400, error_code: "SELF_SHARE" });
  });

  it("given a caller forging context_bound, when put, then 403 FORBIDDEN and nothing is appended", () => {
    init();
    const count = stack.js.events.length;
    expect(put({ catalog: "none", target: "none", event_type: "context_bound", data: { bound_at: 1 } })).toMatchObject({
      code: 403,
      error_code: "FORBIDDEN",
    });
    expect(stack.js.events).toHaveLength(count);
  });

  it.each([
    ["malformed JSON", 400, "BAD_JSON", "{not json"],
    ["an empty payload", 400, "BAD_JSON", ""],
    ["a JSON array", 400, "BAD_REQUEST", "[]"],
    ["a missing event_type", 400, "BAD_REQUEST", { catalog: "a", target: friend }],
    ["a wrong-typed target", 400, "BAD_REQUEST", { catalog: "a", target: 42, event_type: "catalog_shared" }],
    ["an unknown event type", 400, "BAD_REQUEST", { catalog: "a", target: friend, event_type: "catalog_burnt" }],
    ["a bad catalog name", 400, "BAD_CATALOG_NAME", { catalog: "a.b", target: friend, event_type: "catalog_shared" }],
    [
      "a bad target key",
      400,
      "BAD_ACCOUNT_KEY",
      { catalog: "a", target: friend.slice(0, 55) + (friend.endsWith("A") ? "B" : "A"), event_type: "catalog_shared" },
    ],
    [
      "an oversize payload",
      413,
      "PAYLOAD_TOO_LARGE",
      { catalog: "a", target: friend, event_type: "catalog_shared", data: "x".repeat(MAX_GLOBAL_PAYLOAD) },
    ],
  ] as const)("given %s, when put, then %i %s", (_why, code, errorCode, body) => {
    init();
    expect(put(body)).toMatchObject({ code, data: null, error: expect.any(String) as unknown, error_code: errorCode });
  });

  it("given an unknown verb, when called, then 404 UNKNOWN_VERB", () => {
    expect(stack.invoke("global-events", Subjects.globalFromCaller(me, "events.get"), new Uint8Array())).toMatchObject({
      code: 404,
      error_code: "UNKNOWN_VERB",
    });
  });

  it.each([
    ["the entropy service is down", (s: Stack) => (s.js.down.entropy = true)],
    ["the stack is not provisioned", (s: Stack) => s.fake.buckets.get("NATSTER_CONFIG")?.clear()],
  ])("given %s, when put, then a 500 INTERNAL envelope (never a throw)", (_why, breakIt) => {
    breakIt(stack);
    expect(init()).toMatchObject({ code: 500, data: null, error_code: "INTERNAL" });
  });

  it("given a full event log (discard new), when put, then 507 LOG_FULL and nothing is appended", () => {
    stack.js.down.log = true;
    expect(init()).toMatchObject({ code: 507, data: null, error_code: "LOG_FULL" });
    expect(stack.js.events).toHaveLength(0);
  });

  it("given an account past its rate limit, when it puts again, then 429 RATE_LIMITED and the log did not grow", () => {
    const config = JSON.parse(
      new TextDecoder().decode(stack.fake.buckets.get("NATSTER_CONFIG")?.get("accounts")),
    ) as Record<string, unknown>;
    stack.kvPut("NATSTER_CONFIG", "accounts", { ...config, event_rate_limits: [{ window_s: 3600, max_events: 4 }] });
    expect(init()).toMatchObject({ code: 200 });
    stack.project();
    expect(share("a1")).toMatchObject({ code: 200 });
    expect(share("a2")).toMatchObject({ code: 200 });
    const before = stack.js.events.length;
    expect(share("a3")).toMatchObject({
      code: 429,
      data: null,
      error_code: "RATE_LIMITED",
      error: expect.stringMatching(/4 events per hour; try again in \d+ s/) as unknown,
    });
    expect(stack.js.events).toHaveLength(before);
    expect(share("a3", friend, friend)).not.toMatchObject({ code: 429 });
  });

  it.each([
    ["a share with data", { event_type: "catalog_shared", catalog: "m", target: friend, data: { x: 1 } }],
    ["an import with a string", { event_type: "catalog_imported", catalog: "m", target: friend, data: "hello" }],
    ["an init naming another account", { event_type: "natster_initialized", data: { account_key: friend } }],
    [
      "an init with extra fields",
      { event_type: "natster_initialized", data: { account_name: "me", blob: "x".repeat(9000) } },
    ],
    ["an init with a long name", { event_type: "natster_initialized", data: { account_name: "n".repeat(65) } }],
  ])("given %s, when put, then 400 BAD_EVENT_DATA and nothing is appended", (_why, body) => {
    expect(put(body)).toMatchObject({ code: 400, error_code: "BAD_EVENT_DATA" });
    expect(stack.js.events).toHaveLength(0);
  });
});
