import type { Dirent } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { isStrictlyUnder, toEntryPath } from "./paths.ts";
import type { FileStat } from "./types.ts";

/** A regular file found by a walk, with the absolute path to read it from. */
export type FoundFile = FileStat & { abs: string };

/**
 * Every regular file under `root` (hidden files included). Symlinked directories are not
 * followed; a symlink to a file is kept only if its target is a regular file inside the root.
 * Unreadable files and subdirectories are skipped.
 */
export async function walkRoot(root: string): Promise<FoundFile[]> {
  const realRoot = await realpath(root);
  return walkUnder(realRoot, realRoot);
}

/** Like walkRoot, for the subtree at `dir` (inside `realRoot`); paths stay relative to `realRoot`. */
export async function walkUnder(realRoot: string, dir: string): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const visit = async (current: string): Promise<void> => {
    let children: Dirent[];
    try {
      children = await readdir(current, { withFileTypes: true });
    } catch (e) {
      if (current === dir) throw e;
      return;
    }
    for (const child of children) {
      const abs = join(current, child.name);
      if (child.isDirectory()) await visit(abs);
      else if (child.isFile() || child.isSymbolicLink()) {
        const file = await statServableFile(realRoot, abs);
        if (file) found.push(file);
      }
    }
  };
  await visit(dir);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The stat of `abs` if it is (or links to) a regular file inside `realRoot`, else undefined. */
export async function statServableFile(realRoot: string, abs: string): Promise<FoundFile | undefined> {
  try {
    const target = await realpath(abs);
    if (!isStrictlyUnder(realRoot, target)) return undefined;
    const info = await stat(target);
    if (!info.isFile()) return undefined;
    return { path: toEntryPath(realRoot, abs), abs: target, size: info.size, mtime_ms: info.mtimeMs };
  } catch {
    return undefined;
  }
}
