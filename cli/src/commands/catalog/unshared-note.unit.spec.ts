import type { CatalogShareSummary } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { unsharedNote } from "./unshared-note.ts";

const ME = "A".repeat(56);
const FRIEND = "B".repeat(56);
const share = (catalog: string, from: string, to: string): CatalogShareSummary => ({
  catalog,
  from_account: from,
  to_account: to,
  catalog_online: false,
  revision: 0,
});

describe("catalog ls: the person's catalogs no share lists yet", () => {
  it("given a catalog of mine shared and one shared with nobody, then only the second is named, with its size", () => {
    const note = unsharedNote(
      [
        { name: "films", files: 1, bytes: 2048 },
        { name: "music", files: 12, bytes: 3 * 2 ** 20 },
      ],
      [share("films", ME, FRIEND)],
      ME,
    );
    expect(note).toBe(
      "Yours, shared with nobody yet: music (12 files, 3.0 MiB). Share one with: natster catalog share <name> <account>",
    );
  });

  it("given a friend's catalog of the same name shared with me, then mine still counts as shared with nobody", () => {
    expect(unsharedNote([{ name: "films", files: 1, bytes: 1 }], [share("films", FRIEND, ME)], ME)).toMatch(
      /^Yours, shared with nobody yet: films \(1 file, 1 B\)/,
    );
  });

  it("given every catalog of mine shared, or none at all, then there is nothing to add", () => {
    expect(unsharedNote([{ name: "films", files: 1, bytes: 1 }], [share("films", ME, FRIEND)], ME)).toBeUndefined();
    expect(unsharedNote([], [], ME)).toBeUndefined();
  });
});
