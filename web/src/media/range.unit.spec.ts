import { describe, expect, it } from "vitest";
import { decideRange, rangeHeaders, transferSpan } from "./range.ts";

const MiB = 1024 * 1024;

describe("decideRange", () => {
  it("given no Range header, then the whole file is answered with 200", () => {
    expect(decideRange(null, 1000)).toEqual({ status: 200, start: 0, end: 999 });
  });

  it("given the open range a media element starts with, then 206 from 0 to the end", () => {
    expect(decideRange("bytes=0-", 1000)).toEqual({ status: 206, start: 0, end: 999 });
  });

  it("given a seek to the middle of a large file, then the range starts there and the transfer skips everything before it", () => {
    const decision = decideRange(`bytes=${500 * MiB}-`, 1000 * MiB);
    expect(decision).toEqual({ status: 206, start: 500 * MiB, end: 1000 * MiB - 1 });
    expect(transferSpan(decision)).toEqual({ offset: 500 * MiB, length: 500 * MiB });
  });

  it("given a closed range past the end, then it is clamped to the last byte", () => {
    expect(decideRange("bytes=900-5000", 1000)).toEqual({ status: 206, start: 900, end: 999 });
  });

  it("given a suffix range, then the last n bytes (the whole file when n is larger)", () => {
    expect(decideRange("bytes=-100", 1000)).toEqual({ status: 206, start: 900, end: 999 });
    expect(decideRange("bytes=-5000", 1000)).toEqual({ status: 206, start: 0, end: 999 });
  });

  it("given a start at or beyond the end, or an empty file, then 416", () => {
    expect(decideRange("bytes=1000-", 1000)).toEqual({ status: 416 });
    expect(decideRange("bytes=0-", 0)).toEqual({ status: 416 });
    expect(decideRange("bytes=-0", 1000)).toEqual({ status: 416 });
  });

  it("given several ranges, other units or nonsense, then the whole file (a server may ignore Range)", () => {
    for (const header of ["bytes=0-1,5-6", "items=0-1", "bytes=abc", "bytes=-", "bytes=9-3"]) {
      expect(decideRange(header, 10)).toEqual({ status: 200, start: 0, end: 9 });
    }
  });
});

describe("rangeHeaders", () => {
  it("given a 206, then Content-Range and Content-Length describe exactly the bytes sent", () => {
    const headers = new Map(rangeHeaders({ status: 206, start: 100, end: 199 }, 1000, "video/mp4"));
    expect(headers.get("Content-Range")).toBe("bytes 100-199/1000");
    expect(headers.get("Content-Length")).toBe("100");
    expect(headers.get("Content-Type")).toBe("video/mp4");
    expect(headers.get("Accept-Ranges")).toBe("bytes");
  });

  it("given a 416, then the size is announced so the element can ask again", () => {
    expect(new Map(rangeHeaders({ status: 416 }, 1000, "video/mp4")).get("Content-Range")).toBe("bytes */1000");
  });

  it("given a 200 of an empty file, then the length is 0", () => {
    expect(new Map(rangeHeaders(decideRange(null, 0), 0, "audio/wav")).get("Content-Length")).toBe("0");
  });
});
