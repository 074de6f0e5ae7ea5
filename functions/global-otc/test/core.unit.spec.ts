import { describe, expect, it } from "vitest";
import {
  CODE_ALPHABET,
  claimableRecord,
  codeFromBytes,
  countGeneration,
  generateReply,
  parseClaim,
  parseGenerate,
  requireClaimer,
  type OtcRate,
} from "../src/core.ts";
import { thenRejects } from "../../_lib/test/given.ts";

const record = { account: "ME", sealed: "c2VhbGVk", created_at: 1_700_000_000 };

describe("otc.generate", () => {
  it("given 20 random bytes, when encoded, then 20 unambiguous lower-case chars, 5 unbiased bits each", () => {
    const code = codeFromBytes(Array.from({ length: 20 }, (_, i) => i * 13));
    expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{20}$/);
    expect(codeFromBytes(Array.from({ length: 20 }, (_, i) => i + 32 * 3))).toBe(CODE_ALPHABET.slice(0, 20));
    expect(() => codeFromBytes([1, 2])).toThrow();
  });

  it("given sealed base64url, when parsed, then kept; other shapes are refused", () => {
    expect(parseGenerate({ sealed: "ab-_Z9" })).toEqual({ sealed: "ab-_Z9" });
    thenRejects(() => parseGenerate({}), "BAD_REQUEST", /sealed is required/);
    thenRejects(() => parseGenerate({ sealed: 1 }), "BAD_REQUEST");
    thenRejects(() => parseGenerate({ sealed: "a b" }), "BAD_REQUEST", /base64url/);
    thenRejects(() => parseGenerate({ sealed: "a".repeat(8193) }), "PAYLOAD_TOO_LARGE");
  });

  it("given the config, when replying, then minutes from the TTL and the web login URL", () => {
    expect(generateReply("abc", { otc_ttl_ms: 300_000 })).toEqual({
      code: "abc",
      valid_minutes: 5,
      claim_url: "http://127.0.0.1:4280/login/abc",
    });
    expect(generateReply("abc", { otc_ttl_ms: 600_000, web_url: "https://natster.example/" })).toMatchObject({
      valid_minutes: 10,
      claim_url: "https://natster.example/login/abc",
    });
  });
});

describe("otc.claim", () => {
  it("given any account but the public one, when it claims, then 403 FORBIDDEN", () => {
    thenRejects(() => requireClaimer("ME", { public: "WEB" }), "FORBIDDEN");
    expect(() => requireClaimer("WEB", { public: "WEB" })).not.toThrow();
  });

  it("given a code in any case, when parsed, then lower-case; a malformed code is 400", () => {
    expect(parseClaim({ code: "ABCDEFGHJK0123456789" })).toBe("abcdefghjk0123456789");
    thenRejects(() => parseClaim({ code: "short" }), "BAD_REQUEST");
    thenRejects(() => parseClaim({ code: "abcdefghjk012345678." }), "BAD_REQUEST");
    thenRejects(() => parseClaim({ code: 12 }), "BAD_REQUEST");
  });

  it("given a stored record, when checked within the TTL, then it is claimable", () => {
    expect(claimableRecord(JSON.stringify(record), record.created_at + 299, 300_000)).toEqual(record);
  });

  it.each([
    ["no record", undefined],
    ["a deleted or foreign value", "not json"],
    ["a record without sealed", JSON.stringify({ account: "ME", created_at: 1 })],
    ["an expired record", JSON.stringify({ ...record, created_at: record.created_at - 301 })],
  ])("given %s, when checked, then 404 NOT_FOUND", (_why, stored) => {
    thenRejects(() => claimableRecord(stored, record.created_at, 300_000), "NOT_FOUND");
  });
});

describe("otc.generate rate", () => {
  const limit = { max: 2, windowSeconds: 300 };
  it("given an account within its window, then each generation counts until the limit, then 429 OTC_RATE_LIMITED", () => {
    const first = countGeneration(undefined, 1000, limit);
    const second = countGeneration(first, 1001, limit);
    expect(second).toEqual({ window_start: 1000, count: 2 });
    thenRejects(() => countGeneration(second, 1002, limit), "OTC_RATE_LIMITED", /retry in 298 s/);
  });

  it("given the window passed, then the count starts over", () => {
    expect(countGeneration({ window_start: 1000, count: 2 }, 1300, limit)).toEqual({ window_start: 1300, count: 1 });
  });

  it("given a damaged counter, then it starts over instead of failing", () => {
    expect(countGeneration({ window_start: "x", count: 9 } as unknown as OtcRate, 5, limit)).toEqual({
      window_start: 5,
      count: 1,
    });
  });
});
