import { realpathSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { catalogFilePath, createCatalog, describeEntry, loadCatalog, saveCatalog } from "@natster/catalog";
import { tempTree, type TempTree } from "@natster/catalog/testing";
import { until } from "@natster/test-kit";
import { CatalogState } from "./catalog-state.ts";
import { watchCatalog, type CatalogWatcher } from "./watcher.ts";

describe("catalog watcher (no server)", () => {
  let t: TempTree;
  let state: CatalogState;
  let watcher: CatalogWatcher;
  const revisions: number[] = [];
  let removals = 0;

  beforeEach(async () => {
    t = tempTree();
    t.write("a.txt", "a");
    const catalog = await createCatalog({ home: t.home, name: "w", rootDir: t.root });
    state = new CatalogState(t.home, catalog, realpathSync(t.root));
    state.onRevision = (c) => revisions.push(c.last_modified);
    removals = 0;
    watcher = watchCatalog(state, () => undefined, { debounceMs: 50, stabilityMs: 100 }, { removed: () => removals++ });
    await watcher.ready;
  });
  afterEach(async () => {
    await watcher.close();
    t.remove();
  });

  it("given a burst of new files, then they are all added, saved and announced as a new revision", async () => {
    for (let i = 0; i < 5; i++) t.write(`burst/${i}.txt`, String(i));
    await until(() => state.current.entries.length === 6, "five new entries");
    const onDisk = await loadCatalog(t.home, "w");
    expect(onDisk.entries.map((e) => e.path).sort()).toEqual([
      "/a.txt",
      ...[0, 1, 2, 3, 4].map((i) => `/burst/${i}.txt`),
    ]);
    expect(revisions.length).toBeGreaterThan(0);
  });

  it("given someone else edits the catalog file (catalog describe), then the server adopts it instead of overwriting it", async () => {
    const edited = await loadCatalog(t.home, "w");
    describeEntry(edited, edited.entries[0]?.hash ?? "", "my favourite");
    await saveCatalog(t.home, edited);
    await until(() => state.current.entries[0]?.description === "my favourite", "the edit to be adopted");
    t.write("b.txt", "b");
    await until(() => state.current.entries.length === 2, "the next file");
    await until(async () => (await loadCatalog(t.home, "w")).entries.length === 2, "the save");
    expect((await loadCatalog(t.home, "w")).entries.find((e) => e.path === "/a.txt")?.description).toBe("my favourite");
  });

  it("given an editor swap file, then it is ignored", async () => {
    writeFileSync(join(t.root, ".a.txt.swp"), "swap");
    t.write("marker.txt", "m");
    await until(() => state.current.entries.some((e) => e.path === "/marker.txt"), "the marker");
    expect(state.current.entries.map((e) => e.path)).not.toContain("/.a.txt.swp");
  });

  it("given the catalog file is saved over (a rename), then that is no removal; given it is deleted (catalog rm), then it says removed", async () => {
    const edited = await loadCatalog(t.home, "w");
    describeEntry(edited, edited.entries[0]?.hash ?? "", "saved over");
    await saveCatalog(t.home, edited);
    await until(() => state.current.entries[0]?.description === "saved over", "the save to be adopted");
    expect(removals).toBe(0);
    rmSync(catalogFilePath(t.home, "w"));
    await until(() => removals > 0, "the removal to be said");
  });
});
