import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A throwaway directory for specs: `home` (NATSTER_HOME), `root` (a catalog root) and `outside` (neither). */
export type TempTree = {
  base: string;
  home: string;
  root: string;
  outside: string;
  write(rel: string, content: string): string;
  remove(): void;
};

export function tempTree(): TempTree {
  const base = mkdtempSync(join(tmpdir(), "natster-catalog-"));
  const tree = { base, home: join(base, "home"), root: join(base, "root"), outside: join(base, "outside") };
  for (const dir of [tree.home, tree.root, tree.outside]) mkdirSync(dir);
  return {
    ...tree,
    /** Writes `rel` under the root ("/"-separated) and returns its absolute path. */
    write(rel, content) {
      const abs = join(tree.root, ...rel.split("/").filter(Boolean));
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
      return abs;
    },
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}
