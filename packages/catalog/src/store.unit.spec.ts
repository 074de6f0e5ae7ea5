import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCatalog } from "./ingest.ts";
import { listLocalCatalogs } from "./store.ts";
import { tempTree, type TempTree } from "./temp-tree.ts";

describe("listLocalCatalogs", () => {
  let t: TempTree;
  beforeEach(() => {
    t = tempTree();
  });
  afterEach(() => t.remove());

  it("given catalogs beside other JSON files in the home, then only the catalogs are listed, by name, with files and bytes", async () => {
    t.write("a.txt", "12345");
    t.write("b/c.txt", "123");
    await createCatalog({ home: t.home, name: "Movies", rootDir: t.root });
    await createCatalog({ home: t.home, name: "books", rootDir: t.root });
    writeFileSync(join(t.home, "stack-client.json"), "{}");
    writeFileSync(join(t.home, "default.logins.json"), "[]");
    writeFileSync(join(t.home, "broken.json"), "{ not a catalog");
    writeFileSync(join(t.home, "notes.txt"), "x");

    expect(await listLocalCatalogs(t.home)).toEqual([
      { name: "books", files: 2, bytes: 8 },
      { name: "movies", files: 2, bytes: 8 },
    ]);
  });

  it("given a filter, then only the names it wants are read and listed", async () => {
    t.write("a.txt", "12345");
    await createCatalog({ home: t.home, name: "movies", rootDir: t.root });
    await createCatalog({ home: t.home, name: "books", rootDir: t.root });
    expect(await listLocalCatalogs(t.home, (name) => name !== "movies")).toEqual([
      { name: "books", files: 1, bytes: 5 },
    ]);
  });

  it("given a home that does not exist yet, then there are none", async () => {
    expect(await listLocalCatalogs(join(t.base, "nowhere"))).toEqual([]);
  });
});
