import { describe, expect, it } from "vitest";
import { mimeTypeFor, UNKNOWN_MIME_TYPE } from "./mime.ts";

describe("mime table (upstream's Go table, fixed)", () => {
  it.each([
    ["/a.mp4", "video/mp4"],
    ["/a.mp3", "audio/mpeg"],
    ["/a.txt", "text/plain; charset=utf-8"],
    ["/a.png", "image/png"],
    ["/a.jpg", "image/jpeg"],
    ["/a.jpeg", "image/jpeg"],
    ["/a.pdf", "application/pdf"],
    ["/a.json", "application/json"],
    ["/a.xml", "text/xml; charset=utf-8"],
    ["/a.html", "text/html; charset=utf-8"],
    ["/a.css", "text/css; charset=utf-8"],
    ["/a.webp", "image/webp"],
    ["/a.md", "text/markdown; charset=utf-8"],
  ])("given %s, then the type is %s", (path, type) => {
    expect(mimeTypeFor(path)).toBe(type);
  });

  it("given an upper-case extension, then the lookup is case-insensitive", () => {
    expect(mimeTypeFor("/MOVIE.MP4")).toBe("video/mp4");
  });

  it.each(["/README", "/a.unknownext", "/.hidden", "/dir.d/noext"])(
    "given %s with no known extension, then it is %s",
    (path) => {
      expect(mimeTypeFor(path)).toBe(UNKNOWN_MIME_TYPE);
    },
  );
});
