import { randomFillSync } from "node:crypto";
import { createHash } from "node:crypto";
import { closeSync, linkSync, mkdirSync, openSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

const BLOCK = 8 * 1024 * 1024;

/** Writes `size` random bytes to `path` (incompressible, like media) and returns its SHA-256. */
export function writeRandomFile(path: string, size: number): string {
  const hash = createHash("sha256");
  const block = new Uint8Array(Math.min(BLOCK, Math.max(1, size)));
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, "w");
  try {
    for (let written = 0; written < size; ) {
      const n = Math.min(block.length, size - written);
      randomFillSync(block, 0, n);
      const view = block.subarray(0, n);
      hash.update(view);
      for (let off = 0; off < n; ) off += writeSync(fd, view, off, n - off);
      written += n;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/** Hard-links `files` into a fresh catalog root `dir` (same bytes, no copy). */
export function linkRoot(dir: string, files: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const file of files) linkSync(file, join(dir, basename(file)));
  return dir;
}
