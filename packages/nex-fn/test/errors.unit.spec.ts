import { describe, expect, it } from "vitest";
import { HostError, isNotFound, parseHostError } from "../src/index.ts";

describe("parseHostError", () => {
  it("given the host's missing-key string, when parsed, then code 500 and the bare message", () => {
    const e = parseHostError("Error: failed to get value for key (500)");
    expect(e).toBeInstanceOf(HostError);
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe(500);
    expect(e.message).toBe("failed to get value for key");
    expect(isNotFound(e)).toBe(true);
  });

  it("given a 404, when parsed, then it is a not-found", () => {
    const e = parseHostError("Error: object not found (404)");
    expect([e.code, e.message, isNotFound(e)]).toEqual([404, "object not found", true]);
  });

  it("given another 500, when parsed, then it is not a not-found", () => {
    const e = parseHostError("Error: failed to put value (500)");
    expect([e.code, isNotFound(e)]).toEqual([500, false]);
  });

  it("given a string without a code, when parsed, then code is 0", () => {
    const e = parseHostError("bucket name is required");
    expect([e.code, e.message]).toEqual([0, "bucket name is required"]);
  });

  it("given an Error object (from any realm), when parsed, then its message is used", () => {
    expect(parseHostError(new Error("nats: timeout (503)"))).toMatchObject({ code: 503, message: "nats: timeout" });
    expect(parseHostError(new TypeError("boom"))).toMatchObject({ code: 0, message: "boom" });
  });

  it("given a HostError, when parsed, then it is returned as is", () => {
    const e = new HostError(404, "gone");
    expect(parseHostError(e)).toBe(e);
  });

  it("given a multi-line message, when parsed, then the code is still found", () => {
    expect(parseHostError("Error: line one\nline two (400)")).toMatchObject({
      code: 400,
      message: "line one\nline two",
    });
  });

  it("given null or undefined, when parsed, then a HostError with code 0", () => {
    expect(parseHostError(undefined)).toMatchObject({ code: 0, message: "undefined" });
    expect(parseHostError(null)).toMatchObject({ code: 0, message: "null" });
  });
});
