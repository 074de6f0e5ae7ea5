import { createHash } from "node:crypto";
import { rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findByHash } from "./edit.ts";
import { createCatalog } from "./ingest.ts";
import { resolveEntryPath, verifyServable } from "./serve-safety.ts";
import { tempTree, type TempTree } from "./temp-tree.ts";
import type { CatalogEntry, CatalogFile } from "./types.ts";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const entryAt = (catalog: CatalogFile, path: string) => catalog.entries.find((e) => e.path === path) as CatalogEntry;

describe("serving safety", () => {
  let t: TempTree;
  let catalog: CatalogFile;
  beforeEach(async () => {
    t = tempTree();
    t.write("movies/a.txt", "original");
    t.write("b.txt", "bee");
    writeFileSync(join(t.outside, "secret.txt"), "secret");
    catalog = await createCatalog({ home: t.home, name: "safe", rootDir: t.root });
  });
  afterEach(() => t.remove());

  it("given an untouched file, then it resolves under the root and is servable without re-hashing", async () => {
    const entry = entryAt(catalog, "/movies/a.txt");
    expect(await resolveEntryPath(catalog, entry)).toBe(join(catalog.root_dir, "movies", "a.txt"));
    expect(await verifyServable(catalog, entry)).toMatchObject({ ok: true, change: "none" });
  });

  it.each(["/../outside/secret.txt", "/movies/../../outside/secret.txt", "movies/a.txt", "/movies//a.txt"])(
    "given a traversal path %j, then PATH_OUTSIDE_ROOT",
    async (path) => {
      await expect(resolveEntryPath(catalog, { ...entryAt(catalog, "/b.txt"), path })).rejects.toMatchObject({
        code: "PATH_OUTSIDE_ROOT",
      });
    },
  );

  it("given a file replaced by a symlink leading outside the root, then it is refused and dropped from the catalog", async () => {
    const entry = entryAt(catalog, "/b.txt");
    unlinkSync(join(t.root, "b.txt"));
    symlinkSync(join(t.outside, "secret.txt"), join(t.root, "b.txt"));
    await expect(resolveEntryPath(catalog, entry)).rejects.toMatchObject({ code: "PATH_OUTSIDE_ROOT" });
    expect(await verifyServable(catalog, entry)).toMatchObject({
      ok: false,
      code: "PATH_OUTSIDE_ROOT",
      change: "entries",
    });
    expect(catalog.entries.map((e) => e.path)).toEqual(["/movies/a.txt"]);
  });

  it("given a directory replaced by a symlink to outside, then files under it are refused", async () => {
    rmSync(join(t.root, "movies"), { recursive: true });
    symlinkSync(t.outside, join(t.root, "movies"));
    writeFileSync(join(t.outside, "a.txt"), "original");
    await expect(resolveEntryPath(catalog, entryAt(catalog, "/movies/a.txt"))).rejects.toMatchObject({
      code: "PATH_OUTSIDE_ROOT",
    });
  });

  it("given a deleted file, then NOT_FOUND and the entry is removed", async () => {
    rmSync(join(t.root, "b.txt"));
    expect(await verifyServable(catalog, entryAt(catalog, "/b.txt"))).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
      change: "entries",
    });
    expect(findByHash(catalog, sha256("bee"))).toBeUndefined();
  });

  it("given a file modified after hashing, then it is never served under the old hash and moves to its new hash", async () => {
    const entry = entryAt(catalog, "/movies/a.txt");
    writeFileSync(join(t.root, "movies", "a.txt"), "tampered!");
    const check = await verifyServable(catalog, entry);
    expect(check).toMatchObject({ ok: false, code: "CONTENT_CHANGED", change: "entries" });
    expect(findByHash(catalog, sha256("original"))).toBeUndefined();
    expect(findByHash(catalog, sha256("tampered!"))).toMatchObject({ path: "/movies/a.txt", byte_size: 9 });
    expect(catalog.entries).toHaveLength(2);
  });

  it("given a file only touched (same content, new mtime), then it is served and the index is refreshed", async () => {
    const entry = entryAt(catalog, "/b.txt");
    utimesSync(join(t.root, "b.txt"), new Date(), new Date(Date.now() + 10_000));
    expect(await verifyServable(catalog, entry)).toMatchObject({ ok: true, change: "index" });
    expect(await verifyServable(catalog, entry)).toMatchObject({ ok: true, change: "none" });
  });
});
