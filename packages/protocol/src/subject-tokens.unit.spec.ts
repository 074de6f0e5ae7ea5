import { describe, expect, it } from "vitest";
import { Subjects } from "./subjects.ts";
import { eventSubject, globalCallerOf, parseEventSubject } from "./subject-tokens.ts";

const A = "AALICE";
const B = "ABOB";

describe("the event subject", () => {
  it("given an address, then parsing the built subject gives it back", () => {
    const address = { from: A, to: B, catalog: "movies", type: "catalog_shared" };
    expect(eventSubject(address)).toBe(`natster.events.${A}.${B}.movies.catalog_shared`);
    expect(parseEventSubject(eventSubject(address))).toEqual(address);
    expect(Subjects.event(A, B, "movies", "catalog_shared")).toBe(eventSubject(address));
  });

  it("given a subject that is not an event's (other prefix, too few or too many tokens), then undefined", () => {
    expect(parseEventSubject(`natster.global.${A}.stats`)).toBeUndefined();
    expect(parseEventSubject(`natster.events.${A}.${B}.movies`)).toBeUndefined();
    expect(parseEventSubject(`natster.events.${A}.${B}.movies.catalog_shared.extra`)).toBeUndefined();
  });
});

describe("the caller token NATS writes for an account", () => {
  it("given a global request, then the caller is token 3 of natster.global.<caller>.<op>, or token 1 of upstream's form", () => {
    expect(globalCallerOf(Subjects.globalFromCaller(A, "my.shares"))).toBe(A);
    expect(globalCallerOf(`${A}.natster.global.whoami`)).toBe(A);
  });
});
