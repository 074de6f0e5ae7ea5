import type { OtcGenerateReply, OtcRecord } from "@natster/protocol";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Stack, loadBundles, newAccount, type FunctionName, type Reply } from "../../_lib/test/stack.ts";

let bundles: Map<FunctionName, string>;
let stack: Stack;
const me = newAccount();

beforeAll(
  async () =>
    void (bundles = await loadBundles([
      "global-otc",
      "global-events",
      "global-root",
      "global-context",
      "project-account",
      "project-catalog",
    ])),
);
beforeEach(() => {
  stack = new Stack(bundles);
  stack.api(me, "events.put", { event_type: "natster_initialized" });
  stack.project();
});

const generate = (caller = me, sealed = "c2VhbGVkLWNyZWRz") => stack.api(caller, "otc.generate", { sealed });
const claim = (code: string, caller = stack.config.public) => stack.api(caller, "otc.claim", { code });
const codeOf = (reply: Reply) => (reply.data as OtcGenerateReply).code;

describe("global-otc bundle", () => {
  it("given an initialized account, when it generates, then a 20-char code is stored behind the sealed credentials", () => {
    const reply = generate();
    expect(reply).toEqual({
      code: 200,
      data: {
        code: expect.stringMatching(/^[0-9a-hjkmnp-tv-z]{20}$/) as unknown,
        valid_minutes: 5,
        claim_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:4280\/login\/[0-9a-z]{20}$/) as unknown,
      },
    });
    expect(stack.kvGet<OtcRecord>("NATSTER_CODES", codeOf(reply))).toEqual({
      account: me,
      sealed: "c2VhbGVkLWNyZWRz",
      created_at: expect.any(Number) as unknown,
    });
    expect(codeOf(generate())).not.toBe(codeOf(reply));
  });

  it("given an uninitialized account, when it generates, then 403 NOT_INITIALIZED", () => {
    expect(generate(newAccount())).toMatchObject({ code: 403, error_code: "NOT_INITIALIZED" });
  });

  it("given a code, when the public account claims it twice, then the first wins and the second is 404", () => {
    const code = codeOf(generate());
    expect(claim(code)).toEqual({ code: 200, data: { account: me, sealed: "c2VhbGVkLWNyZWRz" } });
    expect(claim(code)).toMatchObject({ code: 404, error_code: "NOT_FOUND" });
    expect(stack.js.events.at(-1)?.subject).toBe(`natster.events.${me}.none.none.context_bound`);
  });

  it("given two claims racing (both read the code before either deletes it), when both finish, then exactly one wins", () => {
    const code = codeOf(generate());
    let second: Reply | undefined;
    stack.js.beforeApi = (subject) => {
      if (!subject.startsWith("$JS.API.STREAM.MSG.DELETE") || second) return;
      second = { code: 0, data: null };
      second = claim(code);
    };
    const first = claim(code);
    // The second claim ran entirely inside the first one's delete, so it deleted first and won.
    expect(second).toMatchObject({ code: 200, data: { account: me } });
    expect(first).toMatchObject({ code: 404, error_code: "NOT_FOUND" });
    expect(stack.js.events.filter((e) => e.subject.endsWith(".context_bound"))).toHaveLength(1);
  });

  it("given a claimed code, when projected, then whoami and context.get show the binding", () => {
    claim(codeOf(generate()));
    stack.project();
    expect(stack.api(me, "whoami")).toMatchObject({ data: { bound: true } });
    expect(stack.api(me, "context.get")).toMatchObject({
      data: { bound_context: { bound_at: expect.any(Number) as unknown } },
    });
  });

  it("given a user account, when it claims, then 403 FORBIDDEN and the code survives", () => {
    const code = codeOf(generate());
    expect(claim(code, me)).toMatchObject({ code: 403, error_code: "FORBIDDEN" });
    expect(claim(code)).toMatchObject({ code: 200 });
  });

  it("given an unknown or expired code, when claimed, then 404", () => {
    expect(claim("0123456789abcdefghjk")).toMatchObject({ code: 404, error_code: "NOT_FOUND" });
    const code = codeOf(generate());
    const record = stack.kvGet<OtcRecord>("NATSTER_CODES", code);
    stack.kvPut("NATSTER_CODES", code, { ...record, created_at: Math.floor(Date.now() / 1000) - 301 });
    expect(claim(code)).toMatchObject({ code: 404 });
  });

  it.each([
    ["otc.generate", 400, "BAD_JSON", "{"],
    ["otc.generate", 400, "BAD_REQUEST", {}],
    ["otc.generate", 400, "BAD_REQUEST", { sealed: ["x"] }],
    ["otc.generate", 400, "BAD_REQUEST", { sealed: "not base64!" }],
    ["otc.generate", 413, "PAYLOAD_TOO_LARGE", { sealed: "a".repeat(16_400) }],
    ["otc.claim", 400, "BAD_JSON", "]"],
    ["otc.claim", 400, "BAD_REQUEST", { code: null }],
    ["otc.claim", 400, "BAD_REQUEST", { code: "$KV.NATSTER_CODES.>" }],
    ["otc.peek", 404, "UNKNOWN_VERB", {}],
  ] as const)("given %s with bad input, when called, then %i %s", (op, code, errorCode, body) => {
    const caller = op === "otc.claim" ? stack.config.public : me;
    expect(stack.api(caller, op, body)).toMatchObject({ code, data: null, error_code: errorCode });
  });

  it("given the entropy service is down, when generating, then 500 INTERNAL, not a throw", () => {
    stack.js.down.entropy = true;
    expect(generate()).toMatchObject({ code: 500, error_code: "INTERNAL" });
  });
});
