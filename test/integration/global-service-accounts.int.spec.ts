import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import {
  STATS_KEY,
  Stores,
  type AccountProjection,
  type ContextReply,
  type OtcClaimReply,
  type StatsProjection,
  type StoredEvent,
} from "@natster/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FullStack } from "../support/full-stack.ts";
import { initialize, projectionsCaughtUp, requestRaw, type Member } from "../support/global-service.ts";
import {
  heartbeat,
  put,
  shareSummaryOf,
  startGlobalServiceSuite,
  type GlobalServiceSuite,
  type ShareSummaryOf,
} from "../support/global-service-suite.ts";

/**
 * An account's own life on the global service, as real user accounts call it through their imports:
 * init and whoami, one-time login codes, and the stats the projections give. Tests run in order.
 */
describe("the global service, called by real accounts through their imports: init, login codes and stats", () => {
  let suite: GlobalServiceSuite<"alice" | "bob" | "carol" | "dave">;
  let stack: FullStack;
  let global: NatsConnection;
  let publicNc: NatsConnection;
  let accounts: KV;
  let initialized: string[];
  let alice: Member;
  let bob: Member;
  let dave: Member; // never initialized
  let HUB: string;
  let summary: ShareSummaryOf;
  const caughtUp = () => projectionsCaughtUp(global);
  const accountValue = async (key: string) => (await accounts.get(key))?.json<AccountProjection>();

  beforeAll(async () => {
    suite = await startGlobalServiceSuite(["alice", "bob", "carol", "dave"], ["bob", "carol"]);
    ({ stack, global, publicNc, accounts, initialized, hub: HUB } = suite);
    ({ alice, bob, dave } = suite.members);
    summary = shareSummaryOf(HUB);
  }, 180_000);
  afterAll(() => suite?.stop());

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
});
