import { describe, expect, it } from "vitest";
import { parseHostError } from "nex-fn";
import { formatHostError, notUint8ArrayMessage } from "./errors.ts";

describe("host errors as functions see them", () => {
  it("given a failed host call, when formatted, then it reads like ServiceResult.Error()", () => {
    expect(formatHostError(500, "failed to get value for key")).toBe("Error: failed to get value for key (500)");
    expect(formatHostError(404, "failed to get object")).toBe("Error: failed to get object (404)");
  });

  it("given the formatted string, when the nex-fn shim parses it, then code and message come back", () => {
    const parsed = parseHostError(formatHostError(500, "failed to get value for key"));
    expect([parsed.code, parsed.message]).toEqual([500, "failed to get value for key"]);
  });

  it("given a value that is not a Uint8Array, when described, then the 0.x agent's message is used", () => {
    expect(notUint8ArrayMessage("hello")).toBe(
      "failed to marshal v8 value to []byte: hello; only Uint8[] is supported",
    );
  });
});
