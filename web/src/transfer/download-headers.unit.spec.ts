import { describe, expect, it } from "vitest";
import { downloadHeaders } from "./download-headers.ts";

const header = (headers: [string, string][], name: string) =>
  headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];

describe("downloadHeaders", () => {
  it("given a file, then the response is an uncached attachment of exactly its size that the browser must not sniff", () => {
    const headers = downloadHeaders("film.mp4", 1234);
    expect(header(headers, "Content-Type")).toBe("application/octet-stream");
    expect(header(headers, "Content-Length")).toBe("1234");
    expect(header(headers, "Content-Disposition")).toBe(`attachment; filename="film.mp4"; filename*=UTF-8''film.mp4`);
    expect(header(headers, "Cache-Control")).toBe("no-store");
    expect(header(headers, "X-Content-Type-Options")).toBe("nosniff");
  });

  it("given a name with quotes, backslashes and non-ASCII letters, then the plain filename replaces them and filename* keeps the name exactly", () => {
    const disposition = header(downloadHeaders('été "x"\\y.txt', 1), "Content-Disposition");
    expect(disposition).toBe(
      `attachment; filename="_t_ _x__y.txt"; filename*=UTF-8''${encodeURIComponent('été "x"\\y.txt')}`,
    );
  });
});
