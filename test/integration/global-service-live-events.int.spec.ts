import type { NatsConnection } from "@nats-io/nats-core";
import type { Heartbeat, OfflineNotification, ShareNotification } from "@natster/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicAuthorityClient } from "../support/authority.ts";
import type { FullStack } from "../support/full-stack.ts";
import {
  Inbox,
  initialize,
  newMember,
  projectionsCaughtUp,
  requestRaw,
  type Member,
} from "../support/global-service.ts";
import {
  heartbeat,
  share,
  shareSummaryOf,
  startGlobalServiceSuite,
  unshare,
  type GlobalServiceSuite,
  type ShareSummaryOf,
} from "../support/global-service-suite.ts";

/**
 * What the global service pushes live to real user accounts: catalog heartbeats and offline
 * notices to the accounts a catalog is shared with, share and unshare notifications. Tests run in order.
 */
describe("the global service, called by real accounts through their imports: heartbeats and notifications", () => {
  let suite: GlobalServiceSuite<"alice" | "bob" | "carol">;
  let stack: FullStack;
  let global: NatsConnection;
  let alice: Member;
  let bob: Member;
  let carol: Member;
  let HUB: string;
  let summary: ShareSummaryOf;
  const caughtUp = () => projectionsCaughtUp(global);

  beforeAll(async () => {
    suite = await startGlobalServiceSuite(["alice", "bob", "carol"], ["alice", "bob", "carol"]);
    ({ stack, global, hub: HUB } = suite);
    ({ alice, bob, carol } = suite.members);
    summary = shareSummaryOf(HUB);
  }, 180_000);
  afterAll(() => suite?.stop());

  it("heartbeats: online for the recipient, delivered only to accounts the catalog is shared with (bug 8), offline at once", async () => {
    await share(alice, "beats", carol.key);
    await share(alice, "otherstuff", bob.key); // bob gets something from alice, but not 'beats'
    await caughtUp();
    const carolBeats = await Inbox.open<Heartbeat>(carol.nc, "natster.global-events.heartbeat");
    const bobBeats = await Inbox.open<Heartbeat>(bob.nc, "natster.global-events.heartbeat");
    const carolOffline = await Inbox.open<OfflineNotification>(carol.nc, "natster.global-events.offline");

    expect(await heartbeat(alice, { catalog: "beats", account_key: alice.key, revision: 7 })).toEqual({
      code: 200,
      data: "",
    });
    expect(await carolBeats.next((h) => h.catalog === "beats", "carol's heartbeat for 'beats'")).toEqual({
      catalog: "beats",
      account_key: alice.key,
      revision: 7,
    });
    expect(await carol.global.myShares()).toContainEqual(summary(alice, carol, "beats", true, 7));
    expect(await alice.global.myShares()).toContainEqual(summary(alice, carol, "beats", true, 7));
    expect(await bob.global.myShares()).toContainEqual(summary(alice, bob, "otherstuff", false, 0));

    // Barrier: bob's own heartbeat for 'otherstuff' is published after the 'beats' one on the same
    // connection, so once it arrived, a leaked 'beats' heartbeat would have arrived before it.
    await heartbeat(alice, { catalog: "otherstuff", account_key: alice.key, revision: 1 });
    await bobBeats.next((h) => h.catalog === "otherstuff", "bob's heartbeat for 'otherstuff'");
    expect(bobBeats.received.map((h) => h.catalog)).toEqual(["otherstuff"]);
    expect(carolBeats.received.map((h) => h.catalog)).toEqual(["beats"]);

    expect(await requestRaw(alice.nc, "natster.global.heartbeats.offline", { catalog: "beats" })).toEqual({
      code: 200,
      data: "",
    });
    expect(await carol.global.myShares()).toContainEqual(summary(alice, carol, "beats", false, 0));
    expect(await carolOffline.next((o) => o.catalog === "beats", "carol's offline notice")).toEqual({
      catalog: "beats",
      account_key: alice.key,
    });

    expect(await heartbeat(alice, { catalog: "beats", account_key: bob.key, revision: 1 })).toMatchObject({
      code: 403,
      error_code: "FORBIDDEN",
    });
    expect(await heartbeat(alice, { catalog: "beats", account_key: alice.key, revision: -1 })).toMatchObject({
      code: 400,
      error_code: "BAD_REQUEST",
    });
    await requestRaw(alice.nc, "natster.global.heartbeats.offline", { catalog: "otherstuff" });
  });

  it("notifications: share and unshare arrive live on the target's catalog_shared / catalog_unshared, and nowhere else", async () => {
    const bobShared = await Inbox.open<ShareNotification>(bob.nc, "natster.global-events.catalog_shared");
    const bobUnshared = await Inbox.open<ShareNotification>(bob.nc, "natster.global-events.catalog_unshared");
    const carolShared = await Inbox.open<ShareNotification>(carol.nc, "natster.global-events.catalog_shared");
    const notice = { from_account: alice.key, to_account: bob.key, catalog: "livenews" };

    await share(alice, "LiveNews", bob.key);
    expect(await bobShared.next((n) => n.catalog === "livenews", "bob's catalog_shared")).toEqual(notice);
    await caughtUp();
    await unshare(alice, "livenews", bob.key);
    expect(await bobUnshared.next((n) => n.catalog === "livenews", "bob's catalog_unshared")).toEqual(notice);

    await share(alice, "forcarol", carol.key); // barrier for carol's inbox
    await carolShared.next((n) => n.catalog === "forcarol", "carol's catalog_shared");
    expect(carolShared.received.map((n) => n.catalog)).toEqual(["forcarol"]);
    expect(bobShared.received.map((n) => n.catalog)).toEqual(["livenews"]);

    // An init brings the hub's auto-share, announced the same way.
    const erin = await newMember(stack, await publicAuthorityClient(stack), "erin");
    const erinShared = await Inbox.open<ShareNotification>(erin.nc, "natster.global-events.catalog_shared");
    await initialize(erin);
    expect(await erinShared.next((n) => n.catalog === "hub", "erin's hub auto-share")).toEqual({
      from_account: HUB,
      to_account: erin.key,
      catalog: "hub",
    });
  });
});
