import { describe, expect, it } from "vitest";
import { decodeEnvelope, encodeRequestBody, fail, ok, readEnvelope } from "./envelope.ts";
import { NatsterError } from "./errors.ts";

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
const thrown = (f: () => unknown): NatsterError => {
  try {
    f();
  } catch (error) {
    if (error instanceof NatsterError) return error;
    throw error;
  }
  throw new Error("expected a NatsterError");
};

describe("the envelope codec", () => {
  it("given a 200 envelope, then its data", () => {
    expect(readEnvelope(ok({ seq: 3 }))).toEqual({ seq: 3 });
    expect(decodeEnvelope(bytes(ok([1, 2])))).toEqual([1, 2]);
  });

  it("given an error envelope with a known error_code, then a NatsterError with that code and message", () => {
    const error = thrown(() => readEnvelope(fail(409, "NAME_TAKEN", "taken")));
    expect(error).toMatchObject({ code: "NAME_TAKEN", message: "taken", status: 409 });
  });

  it("given an upstream error envelope without error_code, then the code follows the status (INTERNAL when unknown)", () => {
    expect(thrown(() => readEnvelope({ code: 403, data: null, error: "Forbidden" })).code).toBe("FORBIDDEN");
    expect(thrown(() => readEnvelope({ code: 416, data: null })).code).toBe("RANGE_NOT_SATISFIABLE");
    expect(thrown(() => readEnvelope({ code: 418, data: null, error_code: "NO_SUCH_CODE" })).code).toBe("INTERNAL");
  });

  it("given an error_code that names an Object.prototype member, then it is no code: the status decides", () => {
    for (const inherited of ["toString", "__proto__", "constructor", "hasOwnProperty"]) {
      const error = thrown(() => readEnvelope({ code: 418, data: null, error: "x", error_code: inherited }));
      expect(error).toMatchObject({ code: "INTERNAL", status: 500 });
    }
  });

  it("given something that is no envelope, or not JSON, then INTERNAL naming who answered", () => {
    expect(thrown(() => readEnvelope([1, 2], "natster.global.stats")).message).toMatch(
      /natster.global.stats .*not a Natster envelope/,
    );
    expect(thrown(() => decodeEnvelope(bytes("<html>"), "natster.global.stats"))).toMatchObject({ code: "INTERNAL" });
  });

  it("given a request body, then nothing stays empty, bytes stay as they are and anything else is JSON", () => {
    expect(encodeRequestBody(undefined)).toEqual(new Uint8Array(0));
    const raw = new Uint8Array([1, 2, 3]);
    expect(encodeRequestBody(raw)).toBe(raw);
    expect(new TextDecoder().decode(encodeRequestBody({ page: 1 }))).toBe('{"page":1}');
  });
});
