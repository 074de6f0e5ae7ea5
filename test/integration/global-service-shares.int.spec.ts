import { jetstreamManager } from "@nats-io/jetstream";
import type { KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { createAccount } from "@nats-io/nkeys";
import { DEAD_LETTER_STREAM, type AccountProjection, type CatalogProjection } from "@natster/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NAME_TAKEN_MESSAGE } from "../../functions/global-catalogs/src/core.ts";
import { projectionsCaughtUp, requestRaw, type Member } from "../support/global-service.ts";
import {
  put,
  share,
  shareSummaryOf,
  startGlobalServiceSuite,
  unshare,
  type GlobalServiceSuite,
  type ShareSummaryOf,
} from "../support/global-service-suite.ts";

/**
 * Shares on the global service, as real user accounts call it through their imports: share and
 * unshare on both sides, catalog names, and read-your-writes through my.applied. Tests run in order.
 */
describe("the global service, called by real accounts through their imports: shares and catalog names", () => {
  let suite: GlobalServiceSuite<"alice" | "bob" | "carol">;
  let global: NatsConnection;
  let accounts: KV;
  let catalogs: KV;
  let alice: Member;
  let bob: Member;
  let carol: Member;
  let HUB: string;
  let summary: ShareSummaryOf;
  const ghost = createAccount().getPublicKey(); // a valid account key that never joins
  const caughtUp = () => projectionsCaughtUp(global);
  const accountValue = async (key: string) => (await accounts.get(key))?.json<AccountProjection>();
  const catalogValue = async (name: string) => (await catalogs.get(name))?.json<CatalogProjection>();

  beforeAll(async () => {
    suite = await startGlobalServiceSuite(["alice", "bob", "carol"], ["alice", "bob", "carol"]);
    ({ global, accounts, catalogs, hub: HUB } = suite);
    ({ alice, bob, carol } = suite.members);
    summary = shareSummaryOf(HUB);
  }, 180_000);
  afterAll(() => suite?.stop());

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
});
