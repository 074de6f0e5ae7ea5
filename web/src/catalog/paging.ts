/**
 * Paging through `get`: page sizes are powers of two, so after halving (a page over the server's
 * max payload) the entries already loaded are still a whole number of pages.
 */
export const FIRST_PAGE_SIZE = 2048;
export const MIN_PAGE_SIZE = 16;

export type PageRequest = { page: number; page_size: number };

export const nextPageRequest = (loaded: number, pageSize: number): PageRequest => ({ page: loaded / pageSize, page_size: pageSize });

/** The next smaller size to try after PAYLOAD_TOO_LARGE, or undefined when even the smallest failed. */
export const smallerPageSize = (pageSize: number): number | undefined => (pageSize > MIN_PAGE_SIZE ? pageSize / 2 : undefined);

/** Whether the load is complete: everything the server counts is here, or it sent an empty page. */
export const isComplete = (loaded: number, total: number, lastPageLength: number): boolean => loaded >= total || lastPageLength === 0;
