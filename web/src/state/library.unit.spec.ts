import { describe, expect, it } from "vitest";
import type { CatalogShareSummary } from "@natster/protocol";
import { libraryReducer, type LibraryAction } from "./library.ts";
import {
  catalogKey,
  initialLibrary,
  ONLINE_WINDOW_MS,
  pendingShares,
  visibleShared,
  type LibraryState,
} from "./library-model.ts";

const ME = "AME";
const ALICE = "AALICE";
const BOB = "ABOB";
const share = (from: string, to: string, catalog: string, online = true, revision = 0): CatalogShareSummary => ({
  from_account: from,
  to_account: to,
  catalog,
  catalog_online: online,
  revision,
});
const run = (state: LibraryState, ...actions: LibraryAction[]) => actions.reduce(libraryReducer, state);
const given = (...actions: LibraryAction[]) => run(initialLibrary(ME), ...actions);
const T0 = 1_000_000;

describe("my.shares", () => {
  it("given in- and out-shares, then shared-with-me lists the in-shares and my catalogs list whom they go to", () => {
    const s = given({
      type: "shares-loaded",
      now: T0,
      shares: [share(ME, ALICE, "mine"), share(ME, BOB, "mine"), share(ALICE, ME, "films", true, 7)],
    });
    expect(s.shared).toEqual([
      {
        key: catalogKey(ALICE, "films"),
        from: ALICE,
        catalog: "films",
        online: true,
        revision: 7,
        lastSeen: T0,
        imported: undefined,
      },
    ]);
    expect(s.own).toEqual([expect.objectContaining({ catalog: "mine", sharedWith: [ALICE, BOB], online: false })]);
    expect(s.sharesStatus).toEqual({ state: "ready" });
  });

  it("given the same catalog name from two accounts, then both are listed separately", () => {
    const s = given({ type: "shares-loaded", now: T0, shares: [share(ALICE, ME, "films"), share(BOB, ME, "films")] });
    expect(s.shared.map((c) => c.from)).toEqual([ALICE, BOB]);
  });
});

describe("natster.local.inbox", () => {
  const inbox = (unimported: CatalogShareSummary[]): LibraryAction => ({
    type: "inbox-loaded",
    now: T0,
    inbox: { catalog: "mine", account_key: ME, revision: 3, unimported_shares: unimported },
  });

  it("given unimported shares, then they wait in the inbox and the rest count as imported", () => {
    const s = given(
      { type: "shares-loaded", now: T0, shares: [share(ALICE, ME, "films"), share(BOB, ME, "music")] },
      inbox([share(BOB, ME, "music")]),
    );
    expect(visibleShared(s).map((c) => c.catalog)).toEqual(["films"]);
    expect(pendingShares(s).map((c) => c.catalog)).toEqual(["music"]);
    expect(s.own).toEqual([expect.objectContaining({ catalog: "mine", online: true, revision: 3, lastSeen: T0 })]);
  });

  it("given no local catalog server, then shared catalogs stay visible with the inbox marked failed", () => {
    const s = given(
      { type: "shares-loaded", now: T0, shares: [share(ALICE, ME, "films")] },
      { type: "inbox-failed", message: "no server", code: "CATALOG_OFFLINE" },
    );
    expect(visibleShared(s)).toHaveLength(1);
    expect(s.inboxStatus).toMatchObject({ state: "failed", code: "CATALOG_OFFLINE" });
  });

  it("given an import, then the catalog moves from the inbox to shared with me", () => {
    const s = given(
      { type: "shares-loaded", now: T0, shares: [share(BOB, ME, "music")] },
      inbox([share(BOB, ME, "music")]),
      { type: "imported", key: catalogKey(BOB, "music") },
    );
    expect(pendingShares(s)).toEqual([]);
    expect(visibleShared(s).map((c) => c.catalog)).toEqual(["music"]);
  });
});

describe("heartbeats and offline notices", () => {
  const loaded = given({ type: "shares-loaded", now: T0, shares: [share(ALICE, ME, "films", false, 0)] });
  const beat = (revision: number, now: number, account = ALICE): LibraryAction => ({
    type: "heartbeat",
    source: "global",
    now,
    heartbeat: { catalog: "films", account_key: account, revision },
  });

  it("given an offline catalog, when it heart-beats, then it is online with a notice, and no content notice for the first revision", () => {
    const s = run(loaded, beat(5, T0 + 1));
    expect(s.shared[0]).toMatchObject({ online: true, revision: 5, lastSeen: T0 + 1 });
    expect(s.notices.map((n) => n.kind)).toEqual(["online"]);
  });

  it("given a known revision, when a heartbeat carries another, then a new-content notice", () => {
    const s = run(loaded, beat(5, T0 + 1), beat(6, T0 + 2));
    expect(s.notices.map((n) => n.title)).toEqual(["Catalog online", "New catalog content!"]);
  });

  it("given a heartbeat from another account with the same catalog name, then nothing changes", () => {
    expect(run(loaded, beat(5, T0 + 1, BOB))).toEqual(loaded);
  });

  it("given an online catalog, when its offline notice arrives, then it is offline at once", () => {
    const s = run(loaded, beat(5, T0 + 1), {
      type: "offline",
      source: "global",
      offline: { catalog: "films", account_key: ALICE },
    });
    expect(s.shared[0]?.online).toBe(false);
    expect(s.notices.at(-1)?.kind).toBe("offline");
  });

  it("given silence longer than the online window, when the clock ticks, then the catalog goes offline", () => {
    const online = run(loaded, beat(5, T0));
    expect(run(online, { type: "tick", now: T0 + ONLINE_WINDOW_MS - 1 }).shared[0]?.online).toBe(true);
    expect(run(online, { type: "tick", now: T0 + ONLINE_WINDOW_MS + 1 }).shared[0]?.online).toBe(false);
  });

  it("given local heartbeats from two of my servers, then both of my catalogs are listed (upstream showed one)", () => {
    const local = (catalog: string): LibraryAction => ({
      type: "heartbeat",
      source: "local",
      now: T0,
      heartbeat: { catalog, account_key: ME, revision: 1 },
    });
    const s = given(local("films"), local("music"));
    expect(s.own.map((c) => [c.catalog, c.online])).toEqual([
      ["films", true],
      ["music", true],
    ]);
    const stopped = run(s, { type: "offline", source: "local", offline: { catalog: "music", account_key: ME } });
    expect(stopped.own.find((c) => c.catalog === "music")?.online).toBe(false);
  });
});

describe("share notifications", () => {
  const notice = (shared: boolean, to = ME): LibraryAction => ({
    type: "share-changed",
    shared,
    change: { from_account: ALICE, to_account: to, catalog: "films" },
  });

  it("given a new share to me, then it waits in the inbox with a notice", () => {
    const s = given(notice(true));
    expect(pendingShares(s).map((c) => c.catalog)).toEqual(["films"]);
    expect(s.notices[0]?.kind).toBe("share");
  });

  it("given an unshare, then the catalog disappears", () => {
    const s = given({ type: "shares-loaded", now: T0, shares: [share(ALICE, ME, "films")] }, notice(false));
    expect(s.shared).toEqual([]);
    expect(s.notices[0]?.kind).toBe("unshare");
  });

  it("given a notice addressed to someone else, then it is ignored", () => {
    expect(given(notice(true, BOB)).shared).toEqual([]);
  });

  it("given many notices, then only the latest five stay, and one can be dismissed", () => {
    let s = initialLibrary(ME);
    for (let i = 0; i < 7; i++) s = run(s, { type: "notice", kind: "info", title: `n${i}`, text: "" });
    expect(s.notices.map((n) => n.title)).toEqual(["n2", "n3", "n4", "n5", "n6"]);
    expect(run(s, { type: "dismiss-notice", id: s.notices[0]!.id }).notices).toHaveLength(4);
  });
});
