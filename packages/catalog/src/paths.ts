import { NatsterError } from "@natster/protocol";
import { isAbsolute, relative, sep } from "node:path";

/** Whether `candidate` is strictly inside `root` (both absolute; pass real paths to rule out symlinks). */
export function isStrictlyUnder(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** The catalog path of `absPath` under `root`: root-relative, "/"-separated, leading "/". */
export function toEntryPath(root: string, absPath: string): string {
  if (!isStrictlyUnder(root, absPath)) throw new NatsterError("PATH_OUTSIDE_ROOT", `${absPath} is not under ${root}`);
  return "/" + relative(root, absPath).split(sep).join("/");
}

/**
 * True iff `path` is a canonical entry path: leading "/", no empty, "." or ".." segments, no
 * backslashes or NUL. Anything else could step out of the root when joined, so it is refused.
 */
export function isCanonicalEntryPath(path: string): boolean {
  if (!path.startsWith("/") || path.length < 2 || path.includes("\\") || path.includes("\0")) return false;
  return path
    .slice(1)
    .split("/")
    .every((segment) => segment !== "" && segment !== "." && segment !== "..");
}
