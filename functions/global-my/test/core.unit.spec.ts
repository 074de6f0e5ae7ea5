import { describe, expect, it } from "vitest";
import {
  accountNameOf,
  HUB_NAME,
  partnerName,
  sharePartners,
  sharedCatalogKeys,
  summarizeShares,
} from "../src/core.ts";

const account = {
  out_shares: [{ catalog: "movies", account: "B" }],
  in_shares: [{ catalog: "music", account: "C" }],
  initialized_at: 1710000000,
  applied_seq: 9,
};

describe("my.shares", () => {
  it("given out- and in-shares, when summarized, then out-shares first, online state keyed by the owner", () => {
    expect(summarizeShares("ME", account, { "C.music": { revision: 4 } })).toEqual([
      { from_account: "ME", to_account: "B", catalog: "movies", catalog_online: false, revision: 0 },
      { from_account: "C", to_account: "ME", catalog: "music", catalog_online: true, revision: 4 },
    ]);
  });

  it("given the same catalog name online under another account, when summarized, then it does not count (upstream bug 8)", () => {
    expect(summarizeShares("ME", account, { "X.movies": { revision: 1 } })[0]).toMatchObject({ catalog_online: false });
  });

  it("given an unknown caller, when summarized, then [] (upstream crashed, bug 9)", () => {
    expect(summarizeShares("ME", undefined, {})).toEqual([]);
  });

  it("given a never-initialized account holding shares (the hub), when summarized, then its shares are listed", () => {
    const shares = summarizeShares("ME", { ...account, initialized_at: 0 }, {});
    expect(shares).toEqual(summarizeShares("ME", account, {}));
    expect(shares.length).toBeGreaterThan(0);
  });

  it("given shares, when asked which online keys matter, then one per shared catalog under its owner", () => {
    expect(sharedCatalogKeys("ME", account)).toEqual(["ME.movies", "C.music"]);
  });

  it("given the partners' names, when summarized, then each share carries the other account's name, and a nameless partner none", () => {
    expect(summarizeShares("ME", account, {}, { B: "bob", C: "carol" })).toEqual([
      { from_account: "ME", to_account: "B", catalog: "movies", catalog_online: false, revision: 0, to_name: "bob" },
      { from_account: "C", to_account: "ME", catalog: "music", catalog_online: false, revision: 0, from_name: "carol" },
    ]);
    expect(summarizeShares("ME", account, {}, { B: "bob" })[1]).not.toHaveProperty("from_name");
    expect(sharePartners({ ...account, out_shares: [...account.out_shares, { catalog: "x", account: "C" }] })).toEqual([
      "B",
      "C",
    ]);
  });

  it("given init data, when the name is read, then it is trimmed, stripped of control characters and capped; anything else is no name", () => {
    expect(accountNameOf({ account_key: "A", account_name: "  Émile\u0007 " })).toBe("Émile");
    expect(accountNameOf({ account_name: "x".repeat(100) })).toBe("x".repeat(64));
    for (const data of [null, "bob", {}, { account_name: 7 }, { account_name: "  " }])
      expect(accountNameOf(data)).toBeUndefined();
  });

  it("given the stack's hub (never initialized), then its label is the hub's; any other partner's comes from its init data", () => {
    expect(partnerName("AHUB", "AHUB", () => undefined)).toBe(HUB_NAME);
    expect(partnerName("AALICE", "AHUB", () => ({ account_name: "alice" }))).toBe("alice");
    expect(partnerName("AALICE", undefined, () => null)).toBeUndefined();
  });
});
