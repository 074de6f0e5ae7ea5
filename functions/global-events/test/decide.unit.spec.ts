import { describe, expect, it } from "vitest";
import { decidePut, parsePutEvent, type CallerState } from "../src/core.ts";
import { thenRejects } from "../../_lib/test/given.ts";
import { newAccount } from "../../_lib/test/keys.ts";

const me = newAccount();
const friend = newAccount();
const config = { hub: newAccount(), hub_catalog: "hub" };
const initialized: CallerState = { initialized: true, out_shares: [], catalog_owner: undefined };
const fresh: CallerState = { initialized: false, out_shares: [], catalog_owner: undefined };

const when = (event_type: string, catalog = "movies", target = friend, caller = me) =>
  parsePutEvent(caller, { event_type, catalog, target });
const init = parsePutEvent(me, { event_type: "natster_initialized", data: { account_name: "me" } });

describe("events.put decider", () => {
  it("given a fresh account, when it initializes, then natster_initialized and the hub's auto-share are appended, and it is told", () => {
    expect(decidePut(init, fresh, config)).toEqual({
      events: [
        { from: me, to: "none", catalog: "none", type: "natster_initialized", data: { account_name: "me" } },
        { from: config.hub, to: me, catalog: "hub", type: "catalog_shared", data: null },
      ],
      notifications: [
        { to: me, type: "catalog_shared", payload: { from_account: config.hub, to_account: me, catalog: "hub" } },
      ],
    });
  });

  it("given the hub itself, when it initializes, then there is no self auto-share", () => {
    const hubInit = parsePutEvent(config.hub, { event_type: "natster_initialized" });
    expect(decidePut(hubInit, fresh, config).events).toHaveLength(1);
  });

  it("given an initialized account, when it initializes again, then 409 ALREADY_INITIALIZED", () => {
    thenRejects(() => decidePut(init, initialized, config), "ALREADY_INITIALIZED");
  });

  it.each(["catalog_shared", "catalog_unshared", "catalog_imported"])(
    "given a fresh account, when it puts %s, then 403 NOT_INITIALIZED",
    (type) => {
      thenRejects(() => decidePut(when(type), fresh, config), "NOT_INITIALIZED");
    },
  );

  it.each(["catalog_shared", "catalog_unshared", "catalog_imported"])(
    "given any account, when it puts %s to itself, then 400 SELF_SHARE",
    (type) => {
      thenRejects(() => decidePut(when(type, "movies", me), initialized, config), "SELF_SHARE");
    },
  );

  it("given an initialized account, when it shares, then the share is appended and the target told", () => {
    expect(decidePut(when("catalog_shared"), initialized, config)).toEqual({
      events: [{ from: me, to: friend, catalog: "movies", type: "catalog_shared", data: null }],
      notifications: [
        { to: friend, type: "catalog_shared", payload: { from_account: me, to_account: friend, catalog: "movies" } },
      ],
    });
  });

  it("given the catalog is already shared with the target, when shared again, then 409 DUPLICATE (upstream bug 11)", () => {
    const state = { ...initialized, out_shares: [{ catalog: "movies", account: friend }] };
    thenRejects(() => decidePut(when("catalog_shared"), state, config), "DUPLICATE");
    expect(decidePut(when("catalog_shared", "movies", newAccount()), state, config).events).toHaveLength(1);
  });

  it("given another account owns the name, when shared, then 409 NAME_TAKEN; the owner itself may share on", () => {
    thenRejects(
      () => decidePut(when("catalog_shared"), { ...initialized, catalog_owner: newAccount() }, config),
      "NAME_TAKEN",
    );
    expect(decidePut(when("catalog_shared"), { ...initialized, catalog_owner: me }, config).events).toHaveLength(1);
  });

  it("given the hub's catalog name, when anyone but the hub shares it, then 409 NAME_TAKEN", () => {
    thenRejects(() => decidePut(when("catalog_shared", "hub"), initialized, config), "NAME_TAKEN");
    expect(decidePut(when("catalog_shared", "hub", friend, config.hub), initialized, config).events).toHaveLength(1);
  });

  it("given a share, when unshared, then the unshare is appended and the target told", () => {
    const state = { ...initialized, out_shares: [{ catalog: "movies", account: friend }] };
    expect(decidePut(when("catalog_unshared"), state, config).notifications).toEqual([
      { to: friend, type: "catalog_unshared", payload: { from_account: me, to_account: friend, catalog: "movies" } },
    ]);
  });

  it("given no such share, when unshared, then 404 NOT_FOUND", () => {
    thenRejects(() => decidePut(when("catalog_unshared"), initialized, config), "NOT_FOUND");
  });

  it("given an initialized account, when it records an import, then the event is appended with no notification", () => {
    expect(decidePut(when("catalog_imported"), initialized, config)).toEqual({
      events: [{ from: me, to: friend, catalog: "movies", type: "catalog_imported", data: null }],
      notifications: [],
    });
  });
});
