import { describe, expect, it } from "vitest";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageCount, parsePageRequest, summarizePage } from "./paging.ts";
import type { CatalogFile } from "./types.ts";

const catalogOf = (n: number): CatalogFile => ({
  name: "big",
  root_dir: "/r",
  description: "d",
  last_modified: 1,
  entries: Array.from({ length: n }, (_, i) => ({
    path: `/f${i}`,
    description: "x",
    mime_type: "text/plain",
    byte_size: i,
    hash: `${i}`,
  })),
  x_index: {},
});

describe("get paging", () => {
  it("given an empty body (an upstream client), then it is page 0 at the default size", () => {
    expect(parsePageRequest("")).toEqual({ page: 0, page_size: DEFAULT_PAGE_SIZE });
    expect(parsePageRequest("null")).toEqual({ page: 0, page_size: DEFAULT_PAGE_SIZE });
    expect(parsePageRequest("{}")).toEqual({ page: 0, page_size: DEFAULT_PAGE_SIZE });
  });

  it("given bad bodies, then they are refused with stable codes", () => {
    expect(() => parsePageRequest("{")).toThrow(expect.objectContaining({ code: "BAD_JSON" }) as Error);
    for (const body of [
      "[]",
      '"x"',
      '{"page":-1}',
      '{"page":1.5}',
      '{"page_size":0}',
      `{"page_size":${MAX_PAGE_SIZE + 1}}`,
      '{"page":"1"}',
    ]) {
      expect(() => parsePageRequest(body), body).toThrow(expect.objectContaining({ code: "BAD_REQUEST" }) as Error);
    }
  });

  it.each([
    [0, 1000, 1],
    [1, 1000, 1],
    [1000, 1000, 1],
    [1001, 1000, 2],
    [100_000, 5000, 20],
  ])("given %i entries at page size %i, then there are %i pages", (total, size, pages) => {
    expect(pageCount(total, size)).toBe(pages);
  });

  it("given 2,500 entries at size 1,000, when every page is read, then all entries come back once, in order", () => {
    const catalog = catalogOf(2500);
    const pages = [0, 1, 2].map((page) => summarizePage(catalog, { page, page_size: 1000 }));
    expect(pages.map((p) => p.entries.length)).toEqual([1000, 1000, 500]);
    expect(pages.flatMap((p) => p.entries.map((e) => e.path))).toEqual(catalog.entries.map((e) => e.path));
    expect(pages[2]).toMatchObject({
      page: 2,
      page_size: 1000,
      total_entries: 2500,
      pages: 3,
      name: "big",
      description: "d",
    });
  });

  it("given a page past the end, then it has no entries", () => {
    expect(summarizePage(catalogOf(3), { page: 5, page_size: 2 }).entries).toEqual([]);
  });

  it("given entries, then each keeps upstream's wire field order and no extra fields", () => {
    const [first] = summarizePage(catalogOf(1), { page: 0, page_size: 1 }).entries;
    expect(Object.keys(first ?? {})).toEqual(["path", "description", "mime_type", "byte_size", "hash"]);
  });
});
