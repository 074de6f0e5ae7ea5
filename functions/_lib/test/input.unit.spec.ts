import { describe, expect, it } from "vitest";
import { asObject, catalogName, parseJson, parseObject, stringField } from "../src/input.ts";
import { thenRejects } from "./given.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);

describe("request input", () => {
  it("given UTF-8 JSON, when parsed, then the value comes back", () => {
    expect(parseJson(utf8('{"a":"日本"}'))).toEqual({ a: "日本" });
  });

  it.each(["", "{", "nope", "\u0000", "{'a':1}"])("given %j, when parsed, then BAD_JSON", (s) => {
    thenRejects(() => parseJson(utf8(s)), "BAD_JSON");
  });

  it.each(["[]", "null", "1", '"s"'])("given %s, when read as an object, then BAD_REQUEST", (s) => {
    thenRejects(() => parseObject(utf8(s)), "BAD_REQUEST", /must be a JSON object/);
  });

  it("given fields, when read as strings, then missing and wrong types are BAD_REQUEST", () => {
    const body = asObject({ a: "x", n: 1, z: null });
    expect(stringField(body, "a")).toBe("x");
    thenRejects(() => stringField(body, "missing"), "BAD_REQUEST", /missing is required/);
    thenRejects(() => stringField(body, "z"), "BAD_REQUEST", /z is required/);
    thenRejects(() => stringField(body, "n"), "BAD_REQUEST", /n must be a string/);
  });

  it("given catalog names, when normalized, then lower-case, and bad or reserved names are BAD_CATALOG_NAME", () => {
    expect(catalogName("MyMovies2")).toBe("mymovies2");
    for (const bad of ["", "a.b", "a b", "a*", "x".repeat(65), "NONE", "none", "été"])
      thenRejects(() => catalogName(bad), "BAD_CATALOG_NAME");
  });
});
