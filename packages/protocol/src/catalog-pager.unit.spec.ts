import { describe, expect, it } from "vitest";
import { FIRST_PAGE_SIZE, isComplete, MIN_PAGE_SIZE, nextPageRequest, smallerPageSize } from "./catalog-pager.ts";

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
