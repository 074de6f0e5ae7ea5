import { describe, expect, it } from "vitest";
import { NAME_TAKEN_MESSAGE, parseCatalogNameBody, validateName } from "../src/core.ts";
import { thenRejects } from "../../_lib/test/given.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const config = { hub: "HUB", hub_catalog: "hub" };

describe("catalogs.validatename", () => {
  it("given raw name bytes or a JSON string, when parsed, then the normal form", () => {
    expect(parseCatalogNameBody(bytes("MyMovies"))).toBe("mymovies");
    expect(parseCatalogNameBody(bytes(' "MyMovies"\n'))).toBe("mymovies");
  });

  it.each([
    ["an empty body", "", "BAD_CATALOG_NAME"],
    ["a bad name", "my movies", "BAD_CATALOG_NAME"],
    ["a JSON string with a bad name", '"a.b"', "BAD_CATALOG_NAME"],
    ["a broken JSON string", '"abc', "BAD_JSON"],
    ["JSON that is not a string", "{}", "BAD_CATALOG_NAME"],
  ] as const)("given %s, when parsed, then %s", (_why, body, code) => {
    thenRejects(() => parseCatalogNameBody(bytes(body)), code);
  });

  it("given a free name or the caller's own, when validated, then valid", () => {
    expect(validateName("movies", "ME", undefined, config)).toEqual({ valid: true, message: "" });
    expect(validateName("movies", "ME", "ME", config)).toEqual({ valid: true, message: "" });
    expect(validateName("hub", "HUB", undefined, config)).toEqual({ valid: true, message: "" });
  });

  it("given a name another account shares (or the hub's), when validated, then upstream's refusal", () => {
    expect(validateName("movies", "ME", "YOU", config)).toEqual({ valid: false, message: NAME_TAKEN_MESSAGE });
    expect(validateName("hub", "ME", undefined, config)).toEqual({
      valid: false,
      message: "Another account has already shared a catalog with this name",
    });
  });
});
