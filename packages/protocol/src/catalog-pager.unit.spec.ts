import { describe, expect, it } from "vitest";
import {
  FIRST_PAGE_SIZE,
  isComplete,
  loadCatalogPages,
  MIN_PAGE_SIZE,
  nextPageRequest,
  smallerPageSize,
} from "./catalog-pager.ts";
import type { CatalogEntry, CatalogSummary, PageRequest } from "./catalog-wire.ts";
import { NatsterError } from "./errors.ts";

describe("paging through get", () => {
  it("given entries already loaded, then the next page follows them", () => {
    expect(nextPageRequest(0, FIRST_PAGE_SIZE)).toEqual({ page: 0, page_size: FIRST_PAGE_SIZE });
    expect(nextPageRequest(3 * 1024, 1024)).toEqual({ page: 3, page_size: 1024 });
  });

  it("given a page too large for the server, then halving keeps the loaded entries a whole number of pages", () => {
    let size = FIRST_PAGE_SIZE;
    const loaded = 5 * size;
    for (let s = smallerPageSize(size); s !== undefined; s = smallerPageSize(size)) {
      size = s;
      expect(Number.isInteger(nextPageRequest(loaded, size).page)).toBe(true);
    }
    expect(size).toBe(MIN_PAGE_SIZE);
  });

  it("given everything counted is loaded, or an empty page, then the load is complete", () => {
    expect(isComplete(100, 100, 100)).toBe(true);
    expect(isComplete(50, 100, 0)).toBe(true);
    expect(isComplete(50, 100, 50)).toBe(false);
  });
});

describe("loading every page of a catalog", () => {
  const entry = (i: number): CatalogEntry => ({
    path: `/f${i}`,
    description: "",
    mime_type: "text/plain",
    byte_size: i,
    hash: `h${i}`,
  });
  /** A catalog server of `total` entries that refuses pages larger than `maxPage` with PAYLOAD_TOO_LARGE. */
  const server = (total: number, maxPage = Infinity) => {
    const asked: PageRequest[] = [];
    const request = ({ page, page_size }: PageRequest): Promise<CatalogSummary> => {
      asked.push({ page, page_size });
      if (page_size > maxPage) return Promise.reject(new NatsterError("PAYLOAD_TOO_LARGE", "page too large"));
      const entries = Array.from({ length: Math.max(0, Math.min(page_size, total - page * page_size)) }, (_, i) =>
        entry(page * page_size + i),
      );
      const pages = Math.max(1, Math.ceil(total / page_size));
      return Promise.resolve({
        name: "movies",
        description: "films",
        entries,
        page,
        page_size,
        total_entries: total,
        pages,
      });
    };
    return { asked, request };
  };

  it("given a catalog over several pages, then every entry arrives once, in order, and each page is reported", async () => {
    const { request } = server(FIRST_PAGE_SIZE * 2 + 5);
    const seen: number[] = [];
    const loaded = await loadCatalogPages({ request, onPage: (l) => seen.push(l.entries.length) });
    expect(loaded.entries.map((e) => e.byte_size)).toEqual(
      Array.from({ length: FIRST_PAGE_SIZE * 2 + 5 }, (_, i) => i),
    );
    expect(loaded).toMatchObject({ name: "movies", description: "films", total: FIRST_PAGE_SIZE * 2 + 5 });
    expect(seen).toEqual([FIRST_PAGE_SIZE, FIRST_PAGE_SIZE * 2, FIRST_PAGE_SIZE * 2 + 5]);
  });

  it("given a server that refuses large pages, then the pager halves the page size and still loads everything", async () => {
    const { asked, request } = server(300, 128);
    const loaded = await loadCatalogPages({ request });
    expect(loaded.entries).toHaveLength(300);
    expect(asked.filter((a) => a.page_size <= 128).map((a) => a.page)).toEqual([0, 1, 2]);
  });

  it("given a server that refuses even the smallest page, then PAYLOAD_TOO_LARGE reaches the caller", async () => {
    const { request } = server(300, MIN_PAGE_SIZE - 1);
    await expect(loadCatalogPages({ request })).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
  });

  it("given any other failure, then it reaches the caller unchanged", async () => {
    const offline = new NatsterError("CATALOG_OFFLINE", "not online");
    await expect(loadCatalogPages({ request: () => Promise.reject(offline) })).rejects.toBe(offline);
  });

  it("given a cancelled signal, then nothing is asked and the load fails TRANSFER_CANCELLED", async () => {
    const { asked, request } = server(10);
    await expect(loadCatalogPages({ request, signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: "TRANSFER_CANCELLED",
    });
    expect(asked).toEqual([]);
  });

  it("given entries that are not catalog entries, then they are left out", async () => {
    const entries = [entry(1), { path: 3 }, null];
    const request = ({ page, page_size }: PageRequest): Promise<CatalogSummary> =>
      Promise.resolve({
        name: "m",
        description: "",
        entries: page === 0 ? entries : [],
        page,
        page_size,
        total_entries: 3,
        pages: 1,
      } as unknown as CatalogSummary);
    expect((await loadCatalogPages({ request })).entries).toEqual([entry(1)]);
  });
});
