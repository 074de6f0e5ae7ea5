import { describe, expect, it } from "vitest";
import { applyBulk, describeEntry, removeEntries, upsertEntry } from "./edit.ts";
import type { CatalogEntry, CatalogFile } from "./types.ts";

const entry = (path: string, hash = "h", description = "d"): CatalogEntry => ({
  path,
  description,
  mime_type: "text/plain",
  byte_size: 1,
  hash,
});
const catalogWith = (entries: CatalogEntry[]): CatalogFile => ({
  name: "c",
  root_dir: "/r",
  description: "",
  last_modified: 1,
  entries,
  x_index: Object.fromEntries(entries.map((e) => [e.path, { size: 1, mtime_ms: 1 }])),
});
const file = (path: string, size = 1) => ({ path, size, mtime_ms: 2 });

describe("catalog edits", () => {
  it("given a changed file, then its entry takes the new hash in place and keeps its description", () => {
    const c = catalogWith([entry("/a"), entry("/b", "h", "mine")]);
    expect(upsertEntry(c, file("/b", 2), "new")).toBe(true);
    expect(c.entries).toEqual([
      entry("/a"),
      { path: "/b", description: "mine", mime_type: "text/plain", byte_size: 2, hash: "new" },
    ]);
    expect(upsertEntry(c, file("/b", 2), "new")).toBe(false);
  });

  it("given a new file, then it is appended with the default description and its mime type", () => {
    const c = catalogWith([]);
    upsertEntry(c, file("/x.mp4"), "h1");
    expect(c.entries).toEqual([
      { path: "/x.mp4", description: "Auto-imported library entry", mime_type: "video/mp4", byte_size: 1, hash: "h1" },
    ]);
  });

  it("given a removed directory, then every entry under it goes, but not a sibling sharing its prefix", () => {
    const c = catalogWith([entry("/d/a"), entry("/d/e/b"), entry("/dd/c"), entry("/d")]);
    expect(removeEntries(c, "/d")).toBe(3);
    expect(c.entries.map((e) => e.path)).toEqual(["/dd/c"]);
    expect(Object.keys(c.x_index)).toEqual(["/dd/c"]);
  });

  it("given duplicate paths, then one bulk pass collapses them", () => {
    const c = catalogWith([entry("/a", "1"), entry("/a", "2")]);
    expect(applyBulk(c, () => false, [])).toEqual({ added: 0, updated: 0, removed: 0, collapsed: 1 });
    expect(c.entries).toEqual([entry("/a", "1")]);
  });

  it("given 100,000 entries and 50,000 changes, then one bulk pass applies all of them (its speed is measured by the catalog bench)", () => {
    const c = catalogWith(Array.from({ length: 100_000 }, (_, i) => entry(`/f${i}`)));
    const hashed = Array.from({ length: 50_000 }, (_, i) => ({ file: file(`/f${i * 2}`), hash: `x${i}` }));
    const result = applyBulk(c, (p) => p.endsWith("7"), hashed);
    expect(result).toMatchObject({ removed: 10_000, collapsed: 0 });
    expect(result.added + result.updated).toBe(50_000);
    expect(c.entries).toHaveLength(100_000 - 10_000 + result.added);
  });

  it("given a description for an unknown hash, then NOT_FOUND", () => {
    expect(() => describeEntry(catalogWith([]), "nope", "x")).toThrow(
      expect.objectContaining({ code: "NOT_FOUND" }) as Error,
    );
    const c = catalogWith([entry("/a", "h1")]);
    expect(describeEntry(c, "h1", "new words").description).toBe("new words");
  });
});
