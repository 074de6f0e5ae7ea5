import { describe, expect, it } from "vitest";
import { feedAction } from "./feed-messages.ts";

describe("feedAction", () => {
  it("given a global heartbeat, then a heartbeat action from the global feed", () => {
    expect(
      feedAction("natster.global-events.heartbeat", { catalog: "films", account_key: "AA", revision: 4 }, 9),
    ).toEqual({
      type: "heartbeat",
      source: "global",
      now: 9,
      heartbeat: { catalog: "films", account_key: "AA", revision: 4 },
    });
  });

  it("given a local offline notice, then an offline action from the local feed", () => {
    expect(feedAction("natster.local-events.offline", { catalog: "films", account_key: "AA", revision: 1 }, 0)).toEqual(
      {
        type: "offline",
        source: "local",
        offline: { catalog: "films", account_key: "AA" },
      },
    );
  });

  it("given share and unshare notifications, then share-changed actions", () => {
    const body = { from_account: "AF", to_account: "AT", catalog: "films" };
    expect(feedAction("natster.global-events.catalog_shared", body, 0)).toMatchObject({
      type: "share-changed",
      shared: true,
    });
    expect(feedAction("natster.global-events.catalog_unshared", body, 0)).toMatchObject({
      type: "share-changed",
      shared: false,
    });
  });

  it("given malformed or unknown messages, then nothing", () => {
    expect(feedAction("natster.global-events.heartbeat", { catalog: 3 }, 0)).toBeUndefined();
    expect(feedAction("natster.global-events.heartbeat", "nope", 0)).toBeUndefined();
    expect(feedAction("natster.global-events.mystery", { catalog: "x" }, 0)).toBeUndefined();
    expect(
      feedAction("natster.local-events.catalog_shared", { from_account: "a", to_account: "b", catalog: "c" }, 0),
    ).toBeUndefined();
  });
});
