import { describe, expect, it } from "vitest";
import { verificationNote } from "./verification-note.ts";

describe("what a verified download's row says about who hashed it", () => {
  it("given the sender's digest, then it names the catalog server and the sealed transfer", () => {
    expect(verificationNote("sender-sha256")).toMatch(
      /catalog server hashed the file.*sealed in the encrypted transfer/,
    );
  });

  it("given the page's own hash, then it says the page hashed the file", () => {
    expect(verificationNote("sha256")).toBe("This page hashed the file; its SHA-256 matched the catalog's.");
  });

  it("given no whole-file hash (a range) or no result, then there is nothing to say", () => {
    expect(verificationNote("length")).toBeUndefined();
    expect(verificationNote(undefined)).toBeUndefined();
  });
});
