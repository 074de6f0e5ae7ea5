import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCatalog, rescanCatalog } from "./ingest.ts";
import { loadCatalog } from "./store.ts";
import { tempTree, type TempTree } from "./temp-tree.ts";
import type { IngestProgress } from "./types.ts";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("ingest and rescan", () => {
  let t: TempTree;
  beforeEach(() => {
    t = tempTree();
  });
  afterEach(() => t.remove());

  it("given a tree, when a catalog is created, then every regular file is catalogued once with upstream's fields", async () => {
    t.write("README.txt", "hello");
    t.write("movies/a.mp4", "video");
    t.write(".hidden", "h");
    const progress: IngestProgress[] = [];
    const catalog = await createCatalog({
      home: t.home,
      name: "MyStuff",
      rootDir: t.root,
      description: "mine",
      onProgress: (p) => progress.push(p),
    });

    expect(catalog.name).toBe("mystuff");
    expect(catalog.entries.map((e) => e.path)).toEqual(["/.hidden", "/README.txt", "/movies/a.mp4"]);
    expect(catalog.entries[1]).toEqual({
      path: "/README.txt",
      description: "Auto-imported library entry",
      mime_type: "text/plain; charset=utf-8",
      byte_size: 5,
      hash: sha256("hello"),
    });
    expect(progress.at(-1)).toEqual({ files_done: 3, files_total: 3, bytes_done: 11, bytes_total: 11 });
    const onDisk = JSON.parse(readFileSync(join(t.home, "mystuff.json"), "utf8")) as Record<string, unknown>;
    expect(Object.keys(onDisk)).toEqual(["name", "root_dir", "description", "last_modified", "entries", "x_index"]);
    expect(readdirSync(t.home)).toEqual(["mystuff.json"]);
  });

  it("given an existing catalog, when created again without overwrite, then CATALOG_EXISTS", async () => {
    await createCatalog({ home: t.home, name: "a", rootDir: t.root });
    await expect(createCatalog({ home: t.home, name: "A", rootDir: t.root })).rejects.toMatchObject({
      code: "CATALOG_EXISTS",
    });
  });

  it("given symlinks, then a link to a file inside is kept while links outside and linked dirs are skipped", async () => {
    t.write("real.txt", "in");
    writeFileSync(join(t.outside, "secret.txt"), "secret");
    symlinkSync(join(t.root, "real.txt"), join(t.root, "inner-link.txt"));
    symlinkSync(join(t.outside, "secret.txt"), join(t.root, "escape.txt"));
    symlinkSync(t.outside, join(t.root, "outside-dir"));
    const catalog = await createCatalog({ home: t.home, name: "links", rootDir: t.root });
    expect(catalog.entries.map((e) => e.path)).toEqual(["/inner-link.txt", "/real.txt"]);
  });

  it("given changes on disk, when rescanned, then kept/updated/added/removed are right and nothing is duplicated", async () => {
    t.write("keep.txt", "k");
    const changing = t.write("change.txt", "v1");
    const gone = t.write("gone.txt", "g");
    const before = await createCatalog({ home: t.home, name: "scan", rootDir: t.root });
    await loadCatalog(t.home, "scan").then((c) => expect(c.entries).toHaveLength(3));

    writeFileSync(changing, "version 2");
    utimesSync(changing, new Date(), new Date(Date.now() + 5000));
    rmSync(gone);
    t.write("new/file.txt", "n");
    const { catalog, summary } = await rescanCatalog(t.home, "scan");

    expect(summary).toEqual({ kept: 1, updated: 1, added: 1, removed: 1, changed: true });
    expect(catalog.entries.map((e) => e.path).sort()).toEqual(["/change.txt", "/keep.txt", "/new/file.txt"]);
    expect(catalog.entries.find((e) => e.path === "/change.txt")?.hash).toBe(sha256("version 2"));
    expect(catalog.last_modified).toBeGreaterThan(before.last_modified);

    const again = await rescanCatalog(t.home, "scan");
    expect(again.summary).toEqual({ kept: 3, updated: 0, added: 0, removed: 0, changed: false });
    expect(again.catalog.last_modified).toBe(catalog.last_modified);
  });

  it("given an upstream catalog with duplicate entries and no index, when rescanned, then duplicates collapse", async () => {
    t.write("a.txt", "a");
    const dup = {
      path: "/a.txt",
      description: "mine",
      mime_type: "text/plain; charset=utf-8",
      hash: sha256("a"),
      byte_size: 1,
    };
    const upstream = { name: "old", root_dir: t.root, description: "", last_modified: 1710251244, entries: [dup, dup] };
    writeFileSync(join(t.home, "old.json"), JSON.stringify(upstream));
    const { catalog, summary } = await rescanCatalog(t.home, "old");
    expect(catalog.entries).toEqual([
      { path: "/a.txt", description: "mine", mime_type: "text/plain; charset=utf-8", byte_size: 1, hash: sha256("a") },
    ]);
    expect(summary.changed).toBe(true);
    expect(catalog.x_index["/a.txt"]?.size).toBe(1);
  });
});
