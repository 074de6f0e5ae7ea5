import { linkSync, mkdirSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "./cli-e2e.ts";

export const BIG_ENTRIES = 100_000;
export const BIG_DIRS = 100;

export type BigCatalog = { root: string; expected: Map<string, string>; generatedMs: number };

/**
 * 100,000 real directory entries for the 100k-entry catalog, made cheaply: 100 small source files
 * (distinct contents, kept outside the catalog root) each hard-linked 1,000 times into their own
 * folder under the root. Every entry is a regular file the server stats, walks, watches and can
 * serve (same inode, same content, true hash). `<home>/big.json` is written directly with those
 * hashes and an `x_index` matching the files' size and mtime, so the server's startup rescan keeps
 * every entry without re-hashing (nothing is faked away; the test asserts "100000 kept").
 */
export function generateBigCatalog(home: string, root: string, sources: string): BigCatalog {
  const started = Date.now();
  const perDir = BIG_ENTRIES / BIG_DIRS;
  const entries: { path: string; description: string; mime_type: string; byte_size: number; hash: string }[] = [];
  const index: Record<string, { mtime_ms: number; size: number }> = {};
  const expected = new Map<string, string>();
  mkdirSync(sources, { recursive: true });
  for (let d = 0; d < BIG_DIRS; d++) {
    const source = join(sources, `source-${d}.txt`);
    const body = `content of folder ${d}\n`;
    writeFileSync(source, body);
    const st = statSync(source);
    const hash = sha256(body);
    mkdirSync(join(root, `d${d}`), { recursive: true });
    for (let f = 0; f < perDir; f++) {
      const i = d * perDir + f;
      const path = `/d${d}/f${i}.txt`;
      linkSync(source, join(root, path));
      expected.set(path, hash);
      entries.push({
        path,
        description: `synthetic entry ${i}`,
        mime_type: "text/plain; charset=utf-8",
        byte_size: st.size,
        hash,
      });
      index[path] = { mtime_ms: st.mtimeMs, size: st.size };
    }
  }
  const catalog = {
    name: "big",
    root_dir: realpathSync(root),
    description: "100k entries",
    last_modified: Math.floor(Date.now() / 1000),
    entries,
    x_index: index,
  };
  writeFileSync(join(home, "big.json"), JSON.stringify(catalog));
  return { root, expected, generatedMs: Date.now() - started };
}
