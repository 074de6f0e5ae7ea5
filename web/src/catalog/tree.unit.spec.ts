import { describe, expect, it } from "vitest";
import type { CatalogEntry } from "@natster/protocol";
import { breadcrumbs, buildTree, fileNameOf, findFolder, pathSegments, searchEntries } from "./tree.ts";

const entry = (
  path: string,
  byte_size = 10,
  description = "Auto-imported library entry",
  mime_type = "video/mp4",
): CatalogEntry => ({
  path,
  description,
  mime_type,
  byte_size,
  hash: path.padEnd(64, "0").slice(0, 64),
});

describe("folder tree", () => {
  it("given paths with a leading slash, then there is no empty-named folder (upstream bug 21)", () => {
    const root = buildTree([entry("/README.txt"), entry("/films/a.mp4"), entry("//films//b.mp4")]);
    expect(root.folders.map((f) => f.name)).toEqual(["films"]);
    expect(root.files.map(fileNameOf)).toEqual(["README.txt"]);
    expect(findFolder(root, "films")?.files.map(fileNameOf)).toEqual(["a.mp4", "b.mp4"]);
  });

  it("given nested folders, then counts and sizes roll up to every ancestor", () => {
    const root = buildTree([
      entry("/a/b/c/1.mp4", 5),
      entry("/a/b/2.mp4", 7),
      entry("/a/3.mp4", 11),
      entry("/4.mp4", 13),
    ]);
    expect(root).toMatchObject({ fileCount: 4, byteSize: 36 });
    expect(findFolder(root, "a")).toMatchObject({ fileCount: 3, byteSize: 23 });
    expect(findFolder(root, "a/b")).toMatchObject({ path: "a/b", fileCount: 2, byteSize: 12 });
    expect(findFolder(root, "a/b/c")?.files).toHaveLength(1);
    expect(findFolder(root, "a/missing")).toBeUndefined();
  });

  it("given names with numbers, then they sort the way people count", () => {
    const root = buildTree([entry("/ep10.mp4"), entry("/ep2.mp4"), entry("/ep1.mp4")]);
    expect(root.files.map(fileNameOf)).toEqual(["ep1.mp4", "ep2.mp4", "ep10.mp4"]);
  });

  it("given 100k entries, then the tree holds every file in its folder", () => {
    const entries = Array.from({ length: 100_000 }, (_, i) => entry(`/d${i % 100}/e${i % 7}/f${i}.bin`));
    const root = buildTree(entries);
    expect(root.fileCount).toBe(100_000);
    expect(root.folders).toHaveLength(100);
    expect(findFolder(root, "d3/e3")?.files.map(fileNameOf)).toContain("f3.bin");
  });

  it("given a folder path, then breadcrumbs name each ancestor", () => {
    expect(breadcrumbs("/a/b/c")).toEqual([
      { name: "a", path: "a" },
      { name: "b", path: "a/b" },
      { name: "c", path: "a/b/c" },
    ]);
    expect(pathSegments("/")).toEqual([]);
  });
});

describe("search", () => {
  const entries = [
    entry("/films/Holiday 2023.mp4"),
    entry("/docs/notes.txt", 1, "Trip notes", "text/plain; charset=utf-8"),
    entry("/films/other.mkv"),
  ];

  it("given words, then entries matching all of them in path, description or type, case-insensitively", () => {
    expect(searchEntries(entries, "holiday", 10).matches.map(fileNameOf)).toEqual(["Holiday 2023.mp4"]);
    expect(searchEntries(entries, "TRIP text", 10).matches.map(fileNameOf)).toEqual(["notes.txt"]);
    expect(searchEntries(entries, "films mkv", 10).total).toBe(1);
  });

  it("given more matches than the limit, then the total still counts them all", () => {
    expect(searchEntries(entries, "films", 1)).toMatchObject({
      total: 2,
      matches: [expect.objectContaining({ path: "/films/Holiday 2023.mp4" })],
    });
  });

  it("given an empty query, then nothing", () => {
    expect(searchEntries(entries, "   ", 10)).toEqual({ matches: [], total: 0 });
  });
});
