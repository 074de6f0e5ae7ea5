import { NatsterError } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { fileHash } from "./file-hash.ts";

describe("fileHash", () => {
  it("given 64 lowercase hex characters, then it is the hash", () => {
    expect(fileHash("ab".repeat(32), "movies")).toBe("ab".repeat(32));
  });

  it.each(["0000", "AB".repeat(32), "ab".repeat(32) + "0", "zz".repeat(32), ""])(
    "given %j, then BAD_REQUEST says what a hash looks like and where to find one",
    (raw) => {
      const refuse = () => fileHash(raw, "movies");
      expect(refuse).toThrow(NatsterError);
      expect(refuse).toThrow(
        `'${raw}' is not a SHA-256 (64 lowercase hex characters; see natster catalog contents movies)`,
      );
    },
  );
});
