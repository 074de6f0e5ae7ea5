import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { createAccount } from "@nats-io/nkeys";
import {
  DEAD_LETTER_STREAM,
  STATS_KEY,
  Stores,
  type AccountProjection,
  type CatalogProjection,
  type CatalogShareSummary,
  type ContextReply,
  type Heartbeat,
  type OfflineNotification,
  type OtcClaimReply,
  type ShareNotification,
  type StatsProjection,
  type StoredEvent,
} from "@natster/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NAME_TAKEN_MESSAGE } from "../../functions/global-catalogs/src/core.ts";
import { publicAuthorityClient } from "../support/authority.ts";
import { startFullStack, type FullStack } from "../support/full-stack.ts";
import {
  Inbox,
  initialize,
  newMember,
  projectionsCaughtUp,
  requestRaw,
  type Member,
} from "../support/global-service.ts";

/**
 * Every `natster.global.*` subject as real user accounts call it, through their own imports,
 * against the function bundles deployed on the stack's Nex node (with the trigger bridge feeding
 * the projections). Tests run in order and build on one another's accounts.
 */
describe("the global service, called by real accounts through their imports", () => {
  let stack: FullStack;
  let global: NatsConnection;
  let publicNc: NatsConnection;
  let accounts: KV;
  let catalogs: KV;
  let alice: Member;
  let bob: Member;
  let carol: Member;
  let dave: Member; // never initialized
  const initialized: string[] = [];
  const ghost = createAccount().getPublicKey(); // a valid account key that never joins
  let HUB: string;

  const caughtUp = () => projectionsCaughtUp(global);
  const put = (m: Member, event_type: string, catalog: string, target: string, data: unknown = null) =>
    requestRaw(m.nc, "natster.global.events.put", { event_type, catalog, target, data });
  const share = (m: Member, catalog: string, target: string) =>
    m.global.putEvent({ catalog, target, event_type: "catalog_shared", data: null });
  const unshare = (m: Member, catalog: string, target: string) =>
    m.global.putEvent({ catalog, target, event_type: "catalog_unshared", data: null });
  const accountValue = async (key: string) => (await accounts.get(key))?.json<AccountProjection>();
  const catalogValue = async (name: string) => (await catalogs.get(name))?.json<CatalogProjection>();
  const summary = (
    from: Member | string,
    to: Member | string,
    catalog: string,
    online = false,
    revision = 0,
  ): CatalogShareSummary => ({
    from_account: typeof from === "string" ? from : from.key,
    to_account: typeof to === "string" ? to : to.key,
    catalog,
    catalog_online: online,
    revision,
    // The stack's hub never runs init; my.shares labels it (issue 18). These members gave no name.
    ...(from === HUB ? { from_name: "Natster hub" } : {}),
  });
  const heartbeat = (m: Member, body: unknown) => requestRaw(m.nc, "natster.global.heartbeats.put", body);

  beforeAll(async () => {
    stack = await startFullStack();
    global = await stack.connect("global", "test-global");
    publicNc = await stack.connect("public", "test-public");
    const kvm = new Kvm(global);
    accounts = await kvm.open(Stores.accountProjection);
    catalogs = await kvm.open(Stores.catalogProjection);
    HUB = stack.identity.accounts.HUB.public_key;
    const authority = await publicAuthorityClient(stack);
    const made = await Promise.all(["alice", "bob", "carol", "dave"].map((n) => newMember(stack, authority, n)));
    [alice, bob, carol, dave] = [made[0]!, made[1]!, made[2]!, made[3]!];
    for (const m of [bob, carol]) {
      await initialize(m);
      initialized.push(m.key);
    }
  }, 180_000);
  afterAll(() => stack?.stop());

  it("init: whoami is undefined (404) before natster_initialized and carries the EVENT time after it", async () => {
    expect(await alice.global.whoami()).toBeUndefined();
    expect(await requestRaw(alice.nc, "natster.global.whoami", undefined)).toMatchObject({
      code: 404,
      error_code: "NOT_FOUND",
    });
    expect(await requestRaw(alice.nc, "natster.global.context.get", undefined)).toMatchObject({
      code: 404,
      error_code: "NOT_FOUND",
    });

    expect(await initialize(alice)).toEqual({ seq: expect.any(Number) as number });
    initialized.push(alice.key);
    const jsm = await jetstreamManager(global);
    const stored = await jsm.streams.getMessage(Stores.eventsStream, {
      last_by_subj: `natster.events.${alice.key}.none.none.natster_initialized`,
    });
    expect(stored, "the natster_initialized event is in the log").not.toBeNull();
    const eventTime = Math.floor(Date.parse(stored!.json<StoredEvent>().time) / 1000);

    // At once (from the log, before the projection has it) and after the projection caught up: the same time.
    expect(await alice.global.whoami()).toEqual({ account_key: alice.key, initialized: eventTime, bound: false });
    await caughtUp();
    expect(await alice.global.whoami()).toEqual({ account_key: alice.key, initialized: eventTime, bound: false });
    expect((await accountValue(alice.key))?.initialized_at).toBe(eventTime);
    expect(await requestRaw<ContextReply>(alice.nc, "natster.global.context.get", undefined)).toEqual({
      code: 200,
      data: { account_key: alice.key, initialized_at: eventTime },
    });
    // The hub's auto-share came with the init; a second init is refused.
    expect(await alice.global.myShares()).toEqual([summary(HUB, alice, "hub")]);
    expect(await put(alice, "natster_initialized", "none", "none")).toMatchObject({
      code: 409,
      error_code: "ALREADY_INITIALIZED",
    });
    expect(await put(dave, "catalog_shared", "x", bob.key)).toMatchObject({ code: 403, error_code: "NOT_INITIALIZED" });
  });

  it("share: both sides see it in my.shares; duplicate 409, self share 400, context_bound 403; a share to a never-initialized key blocks nothing", async () => {
    expect(await share(alice, "Holiday2024", bob.key)).toEqual({ seq: expect.any(Number) as number });
    await caughtUp();
    // Upstream's field names, out-shares first; the name is stored in its normal (lower-case) form.
    expect(await alice.global.myShares()).toEqual([summary(alice, bob, "holiday2024"), summary(HUB, alice, "hub")]);
    expect(await bob.global.myShares()).toEqual([summary(HUB, bob, "hub"), summary(alice, bob, "holiday2024")]);

    expect(await put(alice, "catalog_shared", "holiday2024", bob.key)).toMatchObject({
      code: 409,
      error_code: "DUPLICATE",
      data: null,
    });
    expect(await put(alice, "catalog_shared", "HOLIDAY2024", bob.key)).toMatchObject({
      code: 409,
      error_code: "DUPLICATE",
    });
    expect(await put(alice, "catalog_shared", "selfie", alice.key)).toMatchObject({
      code: 400,
      error_code: "SELF_SHARE",
    });
    expect(await put(alice, "context_bound", "none", "none")).toMatchObject({ code: 403, error_code: "FORBIDDEN" });
    expect(await put(alice, "context_bound", "holiday2024", bob.key, { bound_at: 1 })).toMatchObject({
      code: 403,
      error_code: "FORBIDDEN",
    });
    expect(await put(bob, "catalog_shared", "holiday2024", carol.key)).toMatchObject({
      code: 409,
      error_code: "NAME_TAKEN",
    });

    // Upstream bug 10: a share to a valid key that never ran init must not stall the projections.
    expect(await share(alice, "holiday2024", ghost)).toEqual({ seq: expect.any(Number) as number });
    expect(await share(alice, "holiday2024", carol.key)).toEqual({ seq: expect.any(Number) as number });
    await caughtUp();
    expect(await carol.global.myShares()).toContainEqual(summary(alice, carol, "holiday2024"));
    expect((await alice.global.myShares()).filter((s) => s.from_account === alice.key)).toEqual([
      summary(alice, bob, "holiday2024"),
      summary(alice, ghost, "holiday2024"),
      summary(alice, carol, "holiday2024"),
    ]);
    expect(await accountValue(ghost)).toMatchObject({
      initialized_at: 0,
      out_shares: [],
      in_shares: [{ catalog: "holiday2024", account: alice.key }],
    });
    expect(await catalogValue("holiday2024")).toMatchObject({
      catalog_name: "holiday2024",
      owner: alice.key,
      shared_with: [bob.key, ghost, carol.key],
    });
    const dead = await (await jetstreamManager(global)).streams.info(DEAD_LETTER_STREAM);
    expect(dead.state.messages, "no event was parked").toBe(0);
  });

  it("unshare: both sides updated, PROJ_CATALOG really removes, the owner keeps the name", async () => {
    expect(await unshare(alice, "holiday2024", bob.key)).toEqual({ seq: expect.any(Number) as number });
    await caughtUp();
    expect(await bob.global.myShares()).toEqual([summary(HUB, bob, "hub")]);
    expect((await alice.global.myShares()).filter((s) => s.to_account === bob.key)).toEqual([]);
    expect(await catalogValue("holiday2024")).toMatchObject({ owner: alice.key, shared_with: [ghost, carol.key] });
    expect(await put(alice, "catalog_unshared", "holiday2024", bob.key)).toMatchObject({
      code: 404,
      error_code: "NOT_FOUND",
    });

    for (const target of [ghost, carol.key]) await unshare(alice, "holiday2024", target);
    await caughtUp();
    expect(await catalogValue("holiday2024")).toMatchObject({ owner: alice.key, shared_with: [] });
    expect(await carol.global.myShares()).not.toContainEqual(summary(alice, carol, "holiday2024"));
    // Nobody else may take the name while alice owns it; alice may share it again.
    expect(await bob.global.validateName("holiday2024")).toEqual({ valid: false, message: NAME_TAKEN_MESSAGE });
    expect(await alice.global.validateName("holiday2024")).toEqual({ valid: true, message: "" });
  });

  it("validatename: valid, invalid, taken (raw bytes or a JSON string, any case), reserved", async () => {
    expect(await bob.global.validateName("Brandnew1")).toEqual({ valid: true, message: "" });
    expect(await requestRaw(bob.nc, "natster.global.catalogs.validatename", JSON.stringify("brandNEW1"))).toEqual({
      code: 200,
      data: { valid: true, message: "" },
    });
    expect(await carol.global.validateName("HOLIDAY2024")).toEqual({ valid: false, message: NAME_TAKEN_MESSAGE });
    expect(await alice.global.validateName("hub")).toEqual({ valid: false, message: NAME_TAKEN_MESSAGE });
    for (const bad of ["bad name!", "none", "x".repeat(65), "", "caf\u00e9", "../etc"]) {
      expect(await requestRaw(bob.nc, "natster.global.catalogs.validatename", bad), JSON.stringify(bad)).toMatchObject({
        code: 400,
        data: null,
      });
    }
    expect(await requestRaw(bob.nc, "natster.global.catalogs.validatename", "bad name!")).toMatchObject({
      error_code: "BAD_CATALOG_NAME",
    });
    expect(await requestRaw(bob.nc, "natster.global.catalogs.validatename", "42")).toMatchObject({
      code: 200,
      data: { valid: true },
    });
  });

  it("otc: generate needs init; the public account claims once (then 404), a user account is refused 403, and of two concurrent claims exactly one wins", async () => {
    expect(await requestRaw(dave.nc, "natster.global.otc.generate", { sealed: "c2VhbGVk" })).toMatchObject({
      code: 403,
      error_code: "NOT_INITIALIZED",
    });
    const sealed = "c2VhbGVkLWNyZWRlbnRpYWxz";
    const generated = await alice.global.otcGenerate(sealed);
    expect(generated.code).toMatch(/^[0-9a-hjkmnp-tv-z]{20}$/);
    expect(generated.valid_minutes).toBe(5);
    expect(generated.claim_url).toMatch(new RegExp(`/login/${generated.code}$`));

    const claim = (nc: NatsConnection, code: string) =>
      requestRaw<OtcClaimReply>(nc, "natster.global.otc.claim", { code });
    expect(await claim(publicNc, generated.code)).toEqual({ code: 200, data: { account: alice.key, sealed } });
    expect(await claim(publicNc, generated.code)).toMatchObject({ code: 404, error_code: "NOT_FOUND" });

    // A normal account reaches the subject through its import, and is refused without using the code up.
    const second = await alice.global.otcGenerate(sealed);
    expect(await claim(bob.nc, second.code)).toMatchObject({ code: 403, error_code: "FORBIDDEN" });
    expect(await claim(alice.nc, second.code)).toMatchObject({ code: 403, error_code: "FORBIDDEN" });
    expect(await claim(publicNc, second.code)).toMatchObject({ code: 200, data: { account: alice.key } });

    const otherPublic = await stack.connect("public", "test-public-2");
    for (let round = 0; round < 4; round++) {
      const { code } = await alice.global.otcGenerate(sealed);
      const replies = await Promise.all([claim(publicNc, code), claim(otherPublic, code)]);
      expect(replies.map((r) => r.code).sort(), `round ${round}: ${JSON.stringify(replies)}`).toEqual([200, 404]);
    }
    // Each successful claim bound a context (written by otc.claim, never by a caller).
    await caughtUp();
    expect(await alice.global.whoami()).toMatchObject({ bound: true });
    const context = await requestRaw<ContextReply>(alice.nc, "natster.global.context.get", undefined);
    expect(context.data?.bound_context?.bound_at).toBeGreaterThan(0);
  });

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

  it("stats: total_initialized, running_catalogs and share_count come from the projections", async () => {
    await caughtUp();
    const online = await (await new Kvm(global).open(Stores.online)).keys();
    const onlineKeys: string[] = [];
    for await (const k of online) onlineKeys.push(k);
    const values: AccountProjection[] = [];
    for await (const k of await accounts.keys()) values.push((await accounts.get(k))!.json<AccountProjection>());
    const before = await alice.global.stats();
    expect(before).toEqual({
      total_initialized: initialized.length,
      running_catalogs: onlineKeys.length,
      share_count: values.reduce((n, v) => n + v.out_shares.length, 0),
    });
    const statsValue = (
      await (await new Kvm(global).open(Stores.statsProjection)).get(STATS_KEY)
    )?.json<StatsProjection>();
    expect(statsValue).toMatchObject({ total_initialized: before.total_initialized, share_count: before.share_count });

    // One init adds an account and the hub's auto-share; a heartbeat adds a running catalog, offline removes it.
    await initialize(dave);
    initialized.push(dave.key);
    await caughtUp();
    expect(await dave.global.stats()).toEqual({
      ...before,
      total_initialized: before.total_initialized + 1,
      share_count: before.share_count + 1,
    });
    await heartbeat(dave, { catalog: "davecat", account_key: dave.key, revision: 0 });
    expect((await bob.global.stats()).running_catalogs).toBe(before.running_catalogs + 1);
    await requestRaw(dave.nc, "natster.global.heartbeats.offline", { catalog: "davecat" });
    expect((await bob.global.stats()).running_catalogs).toBe(before.running_catalogs);
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

  it("read-your-writes: once my.applied says a share's seq is applied, the target's my.shares lists it; the same for an unshare", async () => {
    const { seq } = await share(alice, "ryw", carol.key);
    expect(await alice.global.waitApplied(seq)).toBe(true);
    expect(await carol.global.myShares()).toContainEqual(summary(alice, carol, "ryw"));
    expect((await catalogValue("ryw"))?.shared_with).toContain(carol.key);
    const unshared = await unshare(alice, "ryw", carol.key);
    expect(await alice.global.applied(unshared.seq)).toMatchObject({ seq: unshared.seq });
    expect(await alice.global.waitApplied(unshared.seq)).toBe(true);
    expect(await carol.global.myShares()).not.toContainEqual(summary(alice, carol, "ryw"));
    expect(await requestRaw(alice.nc, "natster.global.my.applied", { seq: 2 ** 40 })).toMatchObject({
      code: 404,
      error_code: "NOT_FOUND",
    });
  });

  it("flooding: past its rate limit an account gets 429 RATE_LIMITED and the log does not grow; other accounts carry on", async () => {
    const settings = await new Kvm(global).open(Stores.config);
    const original = (await settings.get("accounts"))!.string();
    const frank = await newMember(stack, await publicAuthorityClient(stack), "frank");
    await initialize(frank); // 2 events: the init and the hub's auto-share
    await settings.put(
      "accounts",
      JSON.stringify({ ...JSON.parse(original), event_rate_limits: [{ window_s: 86_400, max_events: 3 }] }),
    );
    try {
      expect(await put(frank, "catalog_shared", "flood1", bob.key)).toMatchObject({ code: 200 });
      const before = (await jetstreamManager(global).then((j) => j.streams.info(Stores.eventsStream))).state.last_seq;
      const throttled = await put(frank, "catalog_shared", "flood2", bob.key);
      expect(throttled).toMatchObject({
        code: 429,
        data: null,
        error_code: "RATE_LIMITED",
        error: expect.stringMatching(/3 events per day/) as unknown,
      });
      expect((await jetstreamManager(global).then((j) => j.streams.info(Stores.eventsStream))).state.last_seq).toBe(
        before,
      );
    } finally {
      await settings.put("accounts", original);
    }
    expect(await put(frank, "catalog_shared", "flood2", bob.key)).toMatchObject({ code: 200 });
    expect(await put(frank, "catalog_shared", "junk", bob.key, { blob: "x".repeat(4000) })).toMatchObject({
      code: 400,
      error_code: "BAD_EVENT_DATA",
    });
  });

  it("a full log refuses new events with 507 LOG_FULL and keeps every event it has (discard new, never old)", async () => {
    const jsm = await jetstreamManager(global);
    const { config, state } = await jsm.streams.info(Stores.eventsStream);
    expect(config.discard).toBe("new");
    expect(config.max_msgs_per_subject).toBeGreaterThan(0);
    // Room for a few bytes more than the log holds: no event fits, and nothing has to go.
    await jsm.streams.update(Stores.eventsStream, { ...config, max_bytes: state.bytes + 16 });
    try {
      expect(await put(alice, "catalog_shared", "toomuch", bob.key)).toMatchObject({
        code: 507,
        data: null,
        error_code: "LOG_FULL",
      });
      const after = (await jsm.streams.info(Stores.eventsStream)).state;
      expect({ first: after.first_seq, last: after.last_seq, messages: after.messages }).toEqual({
        first: state.first_seq,
        last: state.last_seq,
        messages: state.messages,
      });
    } finally {
      await jsm.streams.update(Stores.eventsStream, config);
    }
    expect(await put(alice, "catalog_shared", "toomuch", bob.key)).toMatchObject({ code: 200 });
  });
});
