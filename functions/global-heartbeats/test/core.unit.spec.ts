import { describe, expect, it } from "vitest";
import { fanOut, onlineEntry, parseHeartbeat, parseOffline } from "../src/core.ts";
import { thenRejects } from "../../_lib/test/given.ts";

const account = {
  out_shares: [
    { catalog: "movies", account: "B" },
    { catalog: "music", account: "C" },
    { catalog: "movies", account: "D" },
  ],
  in_shares: [{ catalog: "movies", account: "E" }],
  initialized_at: 1,
  applied_seq: 1,
};

describe("heartbeats", () => {
  it("given a heartbeat, when parsed, then the catalog is normalized and the caller is the account", () => {
    expect(parseHeartbeat("ME", { catalog: "Movies", account_key: "ME", revision: 3 })).toEqual({
      catalog: "movies",
      account_key: "ME",
      revision: 3,
    });
    expect(parseHeartbeat("ME", { catalog: "movies", account_key: "ME" })).toMatchObject({ revision: 0 });
  });

  it("given another account's key in the body, when parsed, then 403 FORBIDDEN", () => {
    thenRejects(() => parseHeartbeat("ME", { catalog: "movies", account_key: "YOU", revision: 1 }), "FORBIDDEN");
  });

  it.each([
    ["no catalog", { account_key: "ME" }, "BAD_REQUEST"],
    ["no account_key", { catalog: "a" }, "BAD_REQUEST"],
    ["a string revision", { catalog: "a", account_key: "ME", revision: "1" }, "BAD_REQUEST"],
    ["a negative revision", { catalog: "a", account_key: "ME", revision: -1 }, "BAD_REQUEST"],
    ["a bad name", { catalog: "a/b", account_key: "ME" }, "BAD_CATALOG_NAME"],
    ["an array", [], "BAD_REQUEST"],
  ] as const)("given %s, when parsed, then %s", (_why, body, code) => {
    thenRejects(() => parseHeartbeat("ME", body), code);
  });

  it("given an offline notice, when parsed, then its normalized catalog", () => {
    expect(parseOffline({ catalog: "Movies" })).toBe("movies");
    thenRejects(() => parseOffline({}), "BAD_REQUEST");
  });

  it("given shares of several catalogs, when a heartbeat fans out, then only that catalog's recipients get it (upstream bug 8)", () => {
    const hb = { catalog: "movies", account_key: "ME", revision: 2 };
    expect(fanOut(account, "movies", "heartbeat", hb)).toEqual([
      { to: "B", type: "heartbeat", payload: hb },
      { to: "D", type: "heartbeat", payload: hb },
    ]);
    expect(fanOut(account, "films", "offline", { catalog: "films", account_key: "ME" })).toEqual([]);
    expect(fanOut(undefined, "movies", "heartbeat", hb)).toEqual([]);
  });

  it("given a heartbeat, when stored, then it carries when it was seen", () => {
    expect(onlineEntry({ catalog: "a", account_key: "ME", revision: 1 }, 1700000000)).toEqual({
      catalog: "a",
      account_key: "ME",
      revision: 1,
      seen_at: 1700000000,
    });
  });
});
