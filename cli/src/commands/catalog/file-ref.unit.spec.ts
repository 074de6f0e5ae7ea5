import { describe, expect, it } from "vitest";
import { entryAt, refusal, SOME_HASH } from "./spec-support.ts";
import { chooseEntry, fileRef } from "./file-ref.ts";

const HASH = SOME_HASH;
const entry = entryAt;
describe("a file as the commands take it: its SHA-256 or its path in the catalog", () => {
  it("given a SHA-256 or a path starting with /, then that is the file asked for", () => {
    expect(fileRef(HASH, "movies")).toEqual({ hash: HASH });
    expect(fileRef("/films/film.mp4", "movies")).toEqual({ path: "/films/film.mp4" });
  });

  it("given neither (a short or upper-case hash, a bare name), then BAD_REQUEST names both forms and the listing", () => {
    for (const raw of ["725827", HASH.toUpperCase(), HASH + "0", "zz".repeat(32), "film.mp4", ""]) {
      const refused = refusal(() => fileRef(raw, "movies"));
      expect(refused.code).toBe("BAD_REQUEST");
      expect(refused.message).toBe(
        `'${raw}' is neither a SHA-256 (64 lowercase hex characters) nor a path in the catalog (starting with /): see natster catalog contents movies`,
      );
    }
  });

  it("given a listing, then the entry is found by path or by hash; a missing one is NOT_FOUND", () => {
    const entries = [entry("/a.mp4", "11".repeat(32)), entry("/films/film.mp4")];
    expect(chooseEntry(entries, { path: "/films/film.mp4" }, "movies").hash).toBe(HASH);
    expect(chooseEntry(entries, { hash: HASH }, "movies").path).toBe("/films/film.mp4");
    const missing = refusal(() => chooseEntry(entries, { path: "/nope" }, "movies"));
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.message).toBe("catalog 'movies' lists no file at /nope: see natster catalog contents movies");
  });
});
