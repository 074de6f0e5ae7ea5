import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { defineFunction, text, utf8 } from "../src/index.ts";
import type { Handler } from "../src/index.ts";

describe("defineFunction", () => {
  it("given a synchronous handler, when called, then it gets subject and payload and returns its value", () => {
    const fn = defineFunction((subject, payload) => ({ subject, echo: text(payload) }));
    expect(fn("a.b", utf8("hi"))).toEqual({ subject: "a.b", echo: "hi" });
  });

  it("given an async handler, when called, then it throws (no reply under Nex)", () => {
    // @ts-expect-error -- an async handler is rejected at compile time too
    const fn = defineFunction(async () => {
      await Promise.resolve();
      return { ok: true };
    });
    expect(() => fn("a", new Uint8Array())).toThrow(/Promise/);
  });

  it("given a handler returning a thenable, when called, then it throws", () => {
    const thenable = { then: () => undefined };
    const fn = defineFunction((() => thenable) as unknown as Handler<null>);
    expect(() => fn("a", new Uint8Array())).toThrow(TypeError);
  });

  it("given a handler returning bytes, when called, then it throws", () => {
    // @ts-expect-error -- returning bytes is rejected at compile time too
    const fn = defineFunction(() => new Uint8Array([1]));
    expect(() => fn("a", new Uint8Array())).toThrow(/bytes/);
  });

  it("given a handler returning bytes from another realm, when called, then it still throws", () => {
    const foreign = runInNewContext("new Uint8Array(2)") as Uint8Array;
    const fn = defineFunction((() => foreign) as unknown as Handler<null>);
    expect(() => fn("a", new Uint8Array())).toThrow(/bytes/);
  });

  it("given a handler returning undefined, when called, then it returns null", () => {
    const fn = defineFunction(() => undefined);
    expect(fn("a", new Uint8Array())).toBeNull();
  });

  it.each([0, "", false, "text", 42, [1, 2]])(
    "given a handler returning %j, when called, then it is passed through",
    (v) => {
      expect(defineFunction(() => v)("a", new Uint8Array())).toEqual(v);
    },
  );
});
