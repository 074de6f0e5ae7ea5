import { describe, expect, it } from "vitest";
import { isValidSubjectFilter, matchesAnyFilter, planConsumerFilter, subjectMatches } from "./subjects.ts";

describe("subject filter matching", () => {
  it.each([
    ["a.b.c", "a.b.c", true],
    ["a.b.c", "a.b.d", false],
    ["a.b", "a.b.c", false],
    ["a.b.c", "a.b", false],
    ["a.*.c", "a.x.c", true],
    ["a.*.c", "a.x.y.c", false],
    ["a.*", "a", false],
    ["*.*", "a.b", true],
    ["a.>", "a.b", true],
    ["a.>", "a.b.c.d", true],
    ["a.>", "a", false],
    [">", "a.b", true],
    ["a.*.>", "a.b.c", true],
    ["a.*.>", "a.b", false],
  ])("given filter %s, when the subject is %s, then it matches: %s", (filter, subject, expected) => {
    expect(subjectMatches(filter, subject)).toBe(expected);
  });

  it("given several filters, when one matches, then the subject is taken; given none, everything is", () => {
    expect(matchesAnyFilter(["x.>", "test.events.*.created"], "test.events.a.created")).toBe(true);
    expect(matchesAnyFilter(["x.>", "test.events.*.created"], "test.events.a.deleted")).toBe(false);
    expect(matchesAnyFilter([], "anything")).toBe(true);
  });

  it("given malformed filters, then they are refused", () => {
    expect(["a..b", "", "a.>.b", "a b", "a.b*", ".a"].map(isValidSubjectFilter)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(["a.*.>", ">", "natster.events.catalog"].map(isValidSubjectFilter)).toEqual([true, true, true]);
  });
});

describe("consumer filter plan on nats-server 2.9", () => {
  it("given one filter, then the server filters", () => {
    expect(planConsumerFilter(["a.>"])).toEqual({ filterSubject: "a.>", filterClientSide: false });
  });

  it("given several filters, then the consumer is unfiltered and the bridge skips the rest itself", () => {
    expect(planConsumerFilter(["a.>", "b.*"])).toEqual({ filterSubject: undefined, filterClientSide: true });
  });

  it("given no filter, then the whole stream is taken", () => {
    expect(planConsumerFilter([])).toEqual({ filterSubject: undefined, filterClientSide: false });
  });
});
