import { describe, expect, it } from "vitest";
import { planRescan } from "./rescan-plan.ts";
import type { CatalogEntry } from "./types.ts";

const entry = (path: string, hash = "h"): CatalogEntry => ({
  path,
  description: "",
  mime_type: "",
  byte_size: 1,
  hash,
});
const file = (path: string, size = 1, mtime_ms = 100) => ({ path, size, mtime_ms });

describe("rescan decisions", () => {
  it("given an unchanged size and mtime, then the entry is kept without hashing", () => {
    const plan = planRescan([entry("/a")], { "/a": { size: 1, mtime_ms: 100 } }, [file("/a")]);
    expect(plan).toEqual({ keep: ["/a"], rehash: [], add: [], remove: [] });
  });

  it("given a changed size or mtime, then the file is hashed again", () => {
    const index = { "/a": { size: 1, mtime_ms: 100 }, "/b": { size: 1, mtime_ms: 100 } };
    const plan = planRescan([entry("/a"), entry("/b")], index, [file("/a", 2), file("/b", 1, 200)]);
    expect(plan.rehash.map((f) => f.path)).toEqual(["/a", "/b"]);
    expect(plan.keep).toEqual([]);
  });

  it("given an entry without an index record (an upstream catalog), then it is hashed again", () => {
    expect(planRescan([entry("/a")], {}, [file("/a")]).rehash).toEqual([file("/a")]);
  });

  it("given a new file and a gone file, then one is added and the other removed", () => {
    const plan = planRescan([entry("/gone")], { "/gone": { size: 1, mtime_ms: 100 } }, [file("/new")]);
    expect(plan).toEqual({ keep: [], rehash: [], add: [file("/new")], remove: ["/gone"] });
  });

  it("given duplicate entries for one path, then the path gets exactly one decision", () => {
    const plan = planRescan([entry("/a", "x"), entry("/a", "y")], { "/a": { size: 1, mtime_ms: 100 } }, [file("/a")]);
    expect(plan).toEqual({ keep: ["/a"], rehash: [], add: [], remove: [] });
  });
});
