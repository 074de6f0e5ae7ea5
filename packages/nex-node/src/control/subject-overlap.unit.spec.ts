import { describe, expect, it } from "vitest";
import { ALWAYS_DENIED_TRIGGER_SUBJECTS } from "../limits.ts";
import { deniedBy, isValidSubscriptionSubject, subjectsOverlap } from "./subject-overlap.ts";

describe("trigger subjects against the deny list", () => {
  it.each([
    ["$JS.API.STREAM.LIST", "$JS.>", true],
    ["$JS.>", "$JS.>", true],
    ["*.API.>", "$JS.>", true],
    [">", "$SYS.>", true],
    ["$NEX", "$NEX.>", false],
    ["orders.*", "orders.created", true],
    ["orders.*", "orders.created.eu", false],
    ["orders.>", "orders", false],
    ["a.*.c", "a.b.*", true],
    ["a.b", "a.c", false],
    ["evt.orders.>", "$SYS.>", false],
  ])("given %s and %s, when compared, then overlap is %s", (a, b, expected) => {
    expect(subjectsOverlap(a, b)).toBe(expected);
    expect(subjectsOverlap(b, a)).toBe(expected);
  });

  it("given the always-denied list, when a trigger reaches into it, then the denied entry is named", () => {
    expect(deniedBy("$NEX.PING", ALWAYS_DENIED_TRIGGER_SUBJECTS)).toBe("$NEX.>");
    expect(deniedBy("*.REQ.>", ALWAYS_DENIED_TRIGGER_SUBJECTS)).toBe("$SYS.>");
    expect(deniedBy("natster.global.>", ALWAYS_DENIED_TRIGGER_SUBJECTS)).toBeUndefined();
  });

  it("given malformed subjects, when validated, then they are rejected", () => {
    expect(["a.b", "a.*", "a.>", ">", "$JS.x"].every(isValidSubscriptionSubject)).toBe(true);
    expect(["", "a..b", "a.>.b", "a b", "a.b*", ".a", "a."].some(isValidSubscriptionSubject)).toBe(false);
  });
});
