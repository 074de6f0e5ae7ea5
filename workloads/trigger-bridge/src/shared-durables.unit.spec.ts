import { describe, expect, it } from "vitest";
import { resolveTriggerSpec, type ResolvedTriggerSpec } from "./config.ts";
import { eventsFor, filterCovers, groupByDurable } from "./shared-durables.ts";

const spec = (trigger: string, durable: string, filters: string[]): ResolvedTriggerSpec =>
  resolveTriggerSpec({
    trigger_subject: trigger,
    stream: "EVENTS",
    durable,
    filter_subjects: filters,
    batch_max_events: 100,
  });

describe("filterCovers", () => {
  it.each([
    ["a.>", "a.b.c", true],
    ["a.>", "a.*.c", true],
    ["a.*.*", "a.*.c", true],
    ["a.*.c", "a.*.*", false],
    ["a.*", "a.>", false],
    ["a.>", "a", false],
    ["a.b", "a.b", true],
    ["a.b", "a.c", false],
    ["a.*", "a.b.c", false],
  ])("given %s and %s, then it covers: %s", (a, b, covers) => {
    expect(filterCovers(a, b)).toBe(covers);
  });
});

describe("groupByDurable", () => {
  it("given specs on distinct durables, then each has a consumer of its own with its own filters", () => {
    const a = spec("fn.a", "A", ["e.*.x"]);
    const b = spec("fn.b", "B", ["e.*.y"]);
    expect(groupByDurable([a, b])).toEqual([
      { consumer: a, members: [{ spec: a, filterClientSide: false }] },
      { consumer: b, members: [{ spec: b, filterClientSide: false }] },
    ]);
  });

  it("given two specs on one durable, one taking every event, then the consumer has the wider filter and only the other picks its events", () => {
    const all = spec("fn.all", "P", ["e.*.*"]);
    const some = spec("fn.some", "P", ["e.*.shared", "e.*.unshared"]);
    const [group, ...more] = groupByDurable([all, some]);
    expect(more).toEqual([]);
    expect(group!.consumer).toEqual({ ...all, filter_subjects: ["e.*.*"] });
    expect(group!.members).toEqual([
      { spec: all, filterClientSide: false },
      { spec: some, filterClientSide: true },
    ]);
    const events = ["e.a.shared", "e.a.imported", "e.b.unshared"].map((subject) => ({ subject }));
    expect(eventsFor(group!.members[0]!, events)).toBe(events);
    expect(eventsFor(group!.members[1]!, events).map((e) => e.subject)).toEqual(["e.a.shared", "e.b.unshared"]);
  });

  it("given specs on one durable with disjoint filters, then the consumer takes both filters and each picks its own", () => {
    const x = spec("fn.x", "P", ["e.x"]);
    const y = spec("fn.y", "P", ["e.y"]);
    const [group] = groupByDurable([x, y]);
    expect(group!.consumer.filter_subjects).toEqual(["e.x", "e.y"]);
    expect(group!.members.map((m) => m.filterClientSide)).toEqual([true, true]);
  });

  it("given a spec without filters sharing a durable, then the consumer takes the whole stream", () => {
    const whole = spec("fn.whole", "P", []);
    const some = spec("fn.some", "P", ["e.x"]);
    const [group] = groupByDurable([some, whole]);
    expect(group!.consumer.filter_subjects).toEqual([]);
    expect(group!.members.map((m) => m.filterClientSide)).toEqual([true, false]);
  });
});
