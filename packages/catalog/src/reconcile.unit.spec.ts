import { createHash } from "node:crypto";
import { renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCatalog } from "./ingest.ts";
import { reconcilePaths } from "./reconcile.ts";
import { tempTree, type TempTree } from "./temp-tree.ts";
import type { CatalogFile } from "./types.ts";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const paths = (c: CatalogFile) => c.entries.map((e) => e.path).sort();

describe("watcher reconciliation", () => {
  let t: TempTree;
  let catalog: CatalogFile;
  beforeEach(async () => {
    t = tempTree();
    t.write("a.txt", "a");
    t.write("dir/b.txt", "b");
    catalog = await createCatalog({ home: t.home, name: "w", rootDir: t.root });
  });
  afterEach(() => t.remove());
  const at = (rel: string) => join(catalog.root_dir, ...rel.split("/"));

  it("given a new file, then it is added once, even when reported twice", async () => {
    t.write("new.txt", "n");
    expect(await reconcilePaths(catalog, catalog.root_dir, [at("new.txt"), at("new.txt")])).toBe("entries");
    expect(paths(catalog)).toEqual(["/a.txt", "/dir/b.txt", "/new.txt"]);
  });

  it("given a rewritten file, then its entry moves to the new hash instead of duplicating", async () => {
    writeFileSync(at("a.txt"), "changed");
    await reconcilePaths(catalog, catalog.root_dir, [at("a.txt")]);
    expect(catalog.entries.filter((e) => e.path === "/a.txt").map((e) => e.hash)).toEqual([sha256("changed")]);
  });

  it("given an untouched file reported again, then nothing changes", async () => {
    expect(await reconcilePaths(catalog, catalog.root_dir, [at("a.txt")])).toBe("none");
  });

  it("given a renamed directory, then its entries leave the old path and appear under the new one", async () => {
    renameSync(at("dir"), at("moved"));
    expect(await reconcilePaths(catalog, catalog.root_dir, [at("dir"), at("moved")])).toBe("entries");
    expect(paths(catalog)).toEqual(["/a.txt", "/moved/b.txt"]);
  });

  it("given a deleted file or a file swapped for a symlink outside the root, then the entry is removed", async () => {
    rmSync(at("a.txt"));
    writeFileSync(join(t.outside, "s.txt"), "secret");
    rmSync(at("dir/b.txt"));
    symlinkSync(join(t.outside, "s.txt"), at("dir/b.txt"));
    await reconcilePaths(catalog, catalog.root_dir, [at("a.txt"), at("dir/b.txt")]);
    expect(catalog.entries).toEqual([]);
  });
});
