import { Subjects } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { eventSubject, notificationSubject, onlineKey } from "../src/addresses.ts";
import { defineApi } from "../src/api.ts";
import { newAccount } from "./keys.ts";

// The bundles keep their own tiny subject builders (the protocol's Subjects object costs bytes);
// these specs make sure they never drift from the protocol.
describe("addresses agree with the protocol", () => {
  const a = newAccount();
  const b = newAccount();

  it("given an event address, when built, then it is Subjects.event", () => {
    expect(eventSubject({ from: a, to: b, catalog: "movies", type: "catalog_shared" })).toBe(
      Subjects.event(a, b, "movies", "catalog_shared"),
    );
  });

  it("given a notification, when addressed, then it is Subjects.globalEventsTo", () => {
    expect(notificationSubject(b, "heartbeat")).toBe(Subjects.globalEventsTo(b, "heartbeat"));
  });

  it("given a caller subject from Subjects.globalFromCaller, when an API function reads it, then it finds the caller", () => {
    const handler = defineApi({ shares: ({ caller }) => caller });
    expect(handler(Subjects.globalFromCaller(a, "my.shares"), new Uint8Array())).toEqual({ code: 200, data: a });
  });

  it("given a catalog served by an account, when keyed for NATSTER_ONLINE, then <account>.<catalog>", () => {
    expect(onlineKey(a, "movies")).toBe(`${a}.movies`);
  });
});
