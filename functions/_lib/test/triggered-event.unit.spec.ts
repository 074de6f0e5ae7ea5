import { describe, expect, it } from "vitest";
import { parseTriggeredBatch, parseTriggeredEvent } from "../src/triggered-event.ts";
import { rejectionOf } from "./given.ts";
import { newAccount } from "./keys.ts";

const A = newAccount();
const B = newAccount();
const stored = (event_type: string, time = "2024-03-10T12:00:00.900Z") =>
  JSON.stringify({ id: "ab", time, event_type, data: null });
const trigger = (over: Record<string, unknown> = {}) => ({
  stream: "NATSTER_EVENTS",
  seq: 7,
  subject: `natster.events.${A}.${B}.movies.catalog_shared`,
  time: "2030-01-01T00:00:00Z",
  delivery: 1,
  data: stored("catalog_shared"),
  ...over,
});
const parse = (value: unknown) =>
  parseTriggeredEvent(new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value)));

describe("parseTriggeredEvent", () => {
  it("given a bridge event, when parsed, then the subject tokens, seq and the EVENT time (not the stream time) come out", () => {
    expect(parse(trigger())).toEqual({
      seq: 7,
      from: A,
      to: B,
      catalog: "movies",
      type: "catalog_shared",
      time: 1710072000,
    });
  });

  it("given an initialized event, when parsed, then none tokens are accepted", () => {
    const e = parse(
      trigger({ subject: `natster.events.${A}.none.none.natster_initialized`, data: stored("natster_initialized") }),
    );
    expect(e).toMatchObject({ to: "none", catalog: "none", type: "natster_initialized" });
  });

  it.each([
    ["not JSON", "{"],
    ["an array", []],
    ["no seq", trigger({ seq: undefined })],
    ["seq 0", trigger({ seq: 0 })],
    ["seq 1.5", trigger({ seq: 1.5 })],
    ["another stream's subject", trigger({ subject: "natster.other.a.b.c.d" })],
    ["too many tokens", trigger({ subject: `natster.events.${A}.${B}.movies.catalog_shared.x` })],
    ["an unknown type", trigger({ subject: `natster.events.${A}.${B}.movies.exploded` })],
    ["a bad origin", trigger({ subject: `natster.events.AXX.${B}.movies.catalog_shared` })],
    ["a bad catalog", trigger({ subject: `natster.events.${A}.${B}.m-1.catalog_shared` })],
    ["a share to none", trigger({ subject: `natster.events.${A}.none.movies.catalog_shared` })],
    ["a share of the none catalog", trigger({ subject: `natster.events.${A}.${B}.none.catalog_shared` })],
    ["data not text", trigger({ data: { id: 1 } })],
    ["data not JSON", trigger({ data: "{" })],
    ["a type mismatch", trigger({ data: stored("catalog_unshared") })],
    ["a bad time", trigger({ data: stored("catalog_shared", "yesterday") })],
  ])("given %s, when parsed, then it is rejected as malformed", (_why, value) => {
    expect(rejectionOf(() => parse(value)).code).toMatch(/^BAD_(JSON|REQUEST)$/);
  });
});

describe("parseTriggeredBatch", () => {
  const batch = (over: Record<string, unknown> = {}) =>
    new TextEncoder().encode(JSON.stringify({ stream: "NATSTER_EVENTS", through: 9, events: [trigger()], ...over }));

  it("given the bridge's reads subject, when parsed, then it comes out with the events", () => {
    expect(parseTriggeredBatch(batch({ reads: "_INBOX.abc" }))).toMatchObject({
      through: 9,
      reads: "_INBOX.abc",
      events: [{ seq: 7 }],
    });
    expect(parseTriggeredBatch(batch())).not.toHaveProperty("reads");
  });

  it.each([
    ["not a string", 42],
    ["a wildcard", "_INBOX.*"],
    ["a space", "_INBOX. x"],
    ["empty", ""],
  ])("given a reads subject that is %s, then the batch is malformed", (_why, reads) => {
    expect(rejectionOf(() => parseTriggeredBatch(batch({ reads }))).code).toBe("BAD_REQUEST");
  });
});
