import type { AccountProjection } from "@natster/protocol";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { injectWriteFaults, logMessage } from "../../_lib/test/event-log.ts";
import { Stack, loadBundles, newAccount, type FunctionName } from "../../_lib/test/stack.ts";

let bundles: Map<FunctionName, string>;
let stack: Stack;
const [A, B, C] = [newAccount(), newAccount(), newAccount()];
const BUCKETS = ["PROJ_ACCOUNT", "PROJ_STATS"];

beforeAll(async () => void (bundles = await loadBundles(["project-account"])));
beforeEach(() => void (stack = new Stack(bundles)));

const deliver = (message: ReturnType<typeof logMessage>, delivery = 1) =>
  stack.deliver("project-account", message, delivery);

describe("project-account bundle", () => {
  it("given an init, when delivered, then {ok:true} and initialized_at is the event time, not the stream's", () => {
    expect(deliver(logMessage(1, A, "none", "none", "natster_initialized", "2024-03-10T12:00:00.700Z"))).toEqual({
      ok: true,
    });
    expect(stack.kvGet<AccountProjection>("PROJ_ACCOUNT", A)).toEqual({
      out_shares: [],
      in_shares: [],
      initialized_at: 1710072000,
      applied_seq: 1,
    });
    expect(stack.kvGet("PROJ_STATS", "global")).toEqual({ total_initialized: 1, share_count: 0, applied_seq: 1 });
  });

  it("given an applied event, when the same event is delivered again, then the KV bytes are identical", () => {
    const share = logMessage(2, A, B, "movies", "catalog_shared");
    deliver(logMessage(1, A, "none", "none", "natster_initialized"));
    deliver(share);
    const once = stack.snapshot(BUCKETS);
    expect(deliver(share, 2)).toEqual({ ok: true });
    expect(stack.snapshot(BUCKETS)).toEqual(once);
  });

  it("given a share to a never-initialized account, when more events follow, then every one is applied", () => {
    const log = [
      logMessage(1, A, "none", "none", "natster_initialized"),
      logMessage(2, A, B, "movies", "catalog_shared"),
      logMessage(3, A, C, "movies", "catalog_shared"),
      logMessage(4, B, "none", "none", "natster_initialized"),
      logMessage(5, A, B, "movies", "catalog_unshared"),
      logMessage(6, A, "none", "none", "context_bound"),
    ];
    expect(log.map((m) => deliver(m))).toEqual(log.map(() => ({ ok: true })));
    expect(stack.kvGet("PROJ_ACCOUNT", B)).toEqual({
      out_shares: [],
      in_shares: [],
      initialized_at: 1710072006,
      applied_seq: 5,
    });
    expect(stack.kvGet("PROJ_ACCOUNT", A)).toMatchObject({
      out_shares: [{ catalog: "movies", account: C }],
      bound_context: { bound_at: 1710072009 },
    });
    expect(stack.kvGet("PROJ_STATS", "global")).toEqual({ total_initialized: 2, share_count: 1, applied_seq: 5 });
  });

  it("given a crash between two key writes, when the bridge redelivers, then the result equals a clean run", () => {
    const log = [
      logMessage(1, A, "none", "none", "natster_initialized"),
      logMessage(2, A, B, "movies", "catalog_shared"),
    ];
    const clean = new Stack(bundles);
    for (const m of log) clean.deliver("project-account", m);
    let writes = 0;
    injectWriteFaults(stack, BUCKETS, () => ++writes === 4);
    deliver(log[0]!);
    expect(deliver(log[1]!)).toMatchObject({
      ok: false,
      retry: true,
      error: expect.stringMatching(/failed to put value|expected revision/) as unknown,
    });
    expect(deliver(log[1]!, 2)).toEqual({ ok: true });
    expect(stack.snapshot(BUCKETS)).toEqual(clean.snapshot(BUCKETS));
  });

  it.each([
    ["not JSON", "{"],
    ["a subject outside the log", JSON.stringify({ seq: 1, subject: "natster.global.x", data: "{}" })],
    ["a stored event that is not JSON", JSON.stringify({ ...logMessage(1, A, B, "m", "catalog_shared"), data: "{" })],
  ])("given %s, when delivered, then {ok:false, retry:false} so the bridge parks it", (_why, payload) => {
    expect(
      stack.invoke("project-account", "natster.internal.projections.account", new TextEncoder().encode(payload)),
    ).toMatchObject({
      ok: false,
      retry: false,
      error: expect.stringMatching(/JSON|malformed/) as unknown,
    });
  });
});
