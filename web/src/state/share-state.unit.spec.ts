import { describe, expect, it } from "vitest";
import type { CatalogShareSummary, InboxReply } from "@natster/protocol";
import { libraryReducer, type LibraryAction } from "./library.ts";
import { catalogKey, initialLibrary, type LibraryState } from "./library-model.ts";
import { listedShares, personLabel, sharerLabels, shareState } from "./share-state.ts";

const ME = "AME";
const ALICE = "AALICE7DWACJQ";
const ALICE2 = "AALICEZZZZZZQ";
const BOB = "ABOB";
const T0 = 1_000_000;
const share = (from: string, catalog: string, online: boolean, from_name?: string): CatalogShareSummary => ({
  from_account: from,
  to_account: ME,
  catalog,
  catalog_online: online,
  revision: 0,
  ...(from_name ? { from_name } : {}),
});
const inbox = (reply: Partial<InboxReply>): LibraryAction => ({
  type: "inbox-loaded",
  now: T0,
  inbox: { account_key: ME, unimported_shares: [], ...reply },
});
const given = (...actions: LibraryAction[]): LibraryState => actions.reduce(libraryReducer, initialLibrary(ME));
const states = (s: LibraryState) => listedShares(s).map((c) => [c.catalog, shareState(c)]);

describe("the state of a catalog shared with me", () => {
  it("given each combination, then exactly one state: revoked, else not imported, else online or offline", () => {
    expect(shareState({ imported: false, online: true, revoked: true })).toBe("revoked");
    expect(shareState({ imported: false, online: true })).toBe("not-imported");
    expect(shareState({ imported: true, online: true })).toBe("online");
    expect(shareState({ imported: true, online: false })).toBe("offline");
    expect(shareState({ imported: undefined, online: true })).toBe("online");
  });

  it("given a share my local agent says I have not imported, then it is listed as not imported even though its owner serves it", () => {
    const s = given(
      { type: "shares-loaded", now: T0, shares: [share(ALICE, "family", true), share(BOB, "hub", true)] },
      inbox({ unimported_shares: [share(ALICE, "family", true)] }),
    );
    expect(states(s)).toEqual([
      ["family", "not-imported"],
      ["hub", "online"],
    ]);
  });

  it("given an import, then it turns online or offline by its owner's server", () => {
    const s = given(
      { type: "shares-loaded", now: T0, shares: [share(ALICE, "family", false)] },
      inbox({ unimported_shares: [share(ALICE, "family", false)] }),
      { type: "imported", key: catalogKey(ALICE, "family") },
    );
    expect(states(s)).toEqual([["family", "offline"]]);
  });

  it("given no local agent and a listed-online catalog whose subjects do not answer, then it is not imported", () => {
    const s = given(
      { type: "shares-loaded", now: T0, shares: [share(ALICE, "family", true)] },
      { type: "unreachable", key: catalogKey(ALICE, "family") },
    );
    expect(states(s)).toEqual([["family", "not-imported"]]);
    const offline = given(
      { type: "shares-loaded", now: T0, shares: [share(ALICE, "family", false)] },
      { type: "unreachable", key: catalogKey(ALICE, "family") },
    );
    expect(states(offline)).toEqual([["family", "offline"]]);
  });

  it("given an import whose share was withdrawn, then it is listed as revoked, once the share list is known, until hidden", () => {
    const imports = [{ catalog: "family", from: ALICE }];
    expect(states(given(inbox({ imports })))).toEqual([]);
    const s = given({ type: "shares-loaded", now: T0, shares: [share(BOB, "hub", true)] }, inbox({ imports }));
    expect(states(s)).toEqual([
      ["family", "revoked"],
      ["hub", "online"],
    ]);
    expect(states(libraryReducer(s, { type: "hide", key: catalogKey(ALICE, "family") }))).toEqual([["hub", "online"]]);
  });

  it("given the agent lists the own catalogs it heard, then they are my catalogs, online", () => {
    const s = given(inbox({ catalogs: [{ catalog: "notes", revision: 4 }] }));
    expect(s.own).toEqual([expect.objectContaining({ catalog: "notes", online: true, revision: 4 })]);
  });
});

describe("names, not keys", () => {
  it("given a sharer's name, then the name is the label; with none, a short key", () => {
    const s = given({
      type: "shares-loaded",
      now: T0,
      shares: [share(ALICE, "family", true, "alice"), share(BOB, "hub", true)],
    });
    const labels = sharerLabels(listedShares(s));
    expect(labels.get(ALICE)).toBe("alice");
    expect(labels.get(BOB)).toBe(BOB);
    expect(personLabel("AACJDWACJOODQXYZ", undefined, [])).toBe("AACJDWAC…QXYZ");
  });

  it("given two accounts with the same name, then each label adds enough of the key to tell them apart", () => {
    const people = [
      { key: ALICE, name: "alice" },
      { key: ALICE2, name: "Alice" },
      { key: BOB, name: "bob" },
    ];
    expect(personLabel(ALICE, "alice", people)).toBe("alice (AALICE7…)");
    expect(personLabel(ALICE2, "Alice", people)).toBe("Alice (AALICEZ…)");
    expect(personLabel(BOB, "bob", people)).toBe("bob");
  });
});

describe("live share changes against a stale my.shares", () => {
  const change = (catalog: string) => ({ from_account: ALICE, to_account: ME, catalog });

  it("given an unshare of an imported catalog and then a stale my.shares and inbox still listing it, then it stays revoked until my.shares agrees", () => {
    const imports = [{ catalog: "family", from: ALICE }];
    const loaded: LibraryAction = { type: "shares-loaded", now: T0, shares: [share(ALICE, "family", true)] };
    let s = given(loaded, inbox({ imports }), { type: "share-changed", shared: false, change: change("family") });
    expect(states(s)).toEqual([["family", "revoked"]]);
    s = [loaded, inbox({ imports, unimported_shares: [] })].reduce(libraryReducer, s);
    expect(states(s), "stale replies").toEqual([["family", "revoked"]]);
    s = libraryReducer(s, { type: "shares-loaded", now: T0, shares: [] });
    expect(states(s)).toEqual([["family", "revoked"]]);
    expect(s.changes).toEqual({});
  });

  it("given a new share and then a stale my.shares without it, then it stays listed as not imported (the race web-full describes)", () => {
    let s = given({ type: "shares-loaded", now: T0, shares: [] }, inbox({}), {
      type: "share-changed",
      shared: true,
      change: change("family"),
    });
    s = libraryReducer(s, { type: "shares-loaded", now: T0, shares: [] });
    expect(states(s)).toEqual([["family", "not-imported"]]);
    s = libraryReducer(s, { type: "shares-loaded", now: T0, shares: [share(ALICE, "family", false)] });
    expect(s.changes).toEqual({});
  });
});
