import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One temp dir for the whole run; everything the benchmarks write goes under it and goes away with it. */
export type TempSpace = {
  root: string;
  /** A fresh sub-directory (created). */
  dir(name: string): string;
  remove(): void;
};

export function createTempSpace(): TempSpace {
  const root = mkdtempSync(join(tmpdir(), "natster-bench-"));
  let n = 0;
  return {
    root,
    dir(name) {
      const path = join(root, `${String(++n).padStart(2, "0")}-${name}`);
      mkdirSync(path, { recursive: true });
      return path;
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
