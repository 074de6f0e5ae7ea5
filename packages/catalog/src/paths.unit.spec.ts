import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isCanonicalEntryPath, isStrictlyUnder, toEntryPath } from "./paths.ts";

describe("entry paths", () => {
  it("given a file under the root, then its path is root-relative with a leading slash and / separators", () => {
    expect(toEntryPath("/srv/media", join("/srv/media", "movies", "a b.mp4"))).toBe("/movies/a b.mp4");
  });

  it("given the root itself or a sibling with a common prefix, then it is not an entry", () => {
    expect(() => toEntryPath("/srv/media", "/srv/media")).toThrow(/not under/);
    expect(() => toEntryPath("/srv/media", "/srv/media2/a.txt")).toThrow(/not under/);
  });

  it.each(["/a.txt", "/dir/a.txt", "/..hidden", "/a..b/c"])("given %s, then it is canonical", (path) => {
    expect(isCanonicalEntryPath(path)).toBe(true);
  });

  it.each(["a.txt", "/", "/../etc/passwd", "/dir/../../x", "/./a", "//a", "/a/", "/a\\..\\b", "/a\0b"])(
    "given %j, then it is refused as non-canonical",
    (path) => {
      expect(isCanonicalEntryPath(path)).toBe(false);
    },
  );

  it("given candidates, then only paths strictly inside the root count as under it", () => {
    expect(isStrictlyUnder("/r", "/r/a")).toBe(true);
    expect(isStrictlyUnder("/r", "/r")).toBe(false);
    expect(isStrictlyUnder("/r", "/r2/a")).toBe(false);
    expect(isStrictlyUnder("/r", "/etc/passwd")).toBe(false);
  });
});
