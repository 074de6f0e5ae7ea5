import { NatsterError, type CatalogEntry } from "@natster/protocol";
import type { FileRef } from "./file-ref.ts";
import { dirname, join, posix, resolve } from "node:path";

/** Where the bytes go: the file named, or a folder the file keeps its catalog name in. */
export type OutputPlan = { kind: "file"; path: string } | { kind: "folder"; dir: string };

/**
 * No `out`, an existing folder, or a path ending in `/` is a folder; anything else names the file.
 * Either way the folder must exist: a download never makes one up.
 */
export function outputPlan(out: string | undefined, cwd: string, isDirectory: (path: string) => boolean): OutputPlan {
  const path = resolve(cwd, out ?? ".");
  const plan: OutputPlan =
    out === undefined || out.endsWith("/") || isDirectory(path)
      ? { kind: "folder", dir: path }
      : { kind: "file", path };
  const folder = plan.kind === "folder" ? plan.dir : dirname(plan.path);
  if (!isDirectory(folder)) throw new NatsterError("NOT_FOUND", `there is no folder ${folder} to download into`);
  return plan;
}

/** The catalog's listing is needed to find a file by path, or to name it in a folder. */
export const needsListing = (ref: FileRef, plan: OutputPlan): boolean => "path" in ref || plan.kind === "folder";

/**
 * The name a file keeps in a folder: the last part of its catalog path, which the catalog's owner
 * chose. A name that could hide or reach outside the folder (a dotfile such as `.bashrc`, `..`,
 * a backslash or a control character) is never written on its owner's word: the person names it.
 */
export function fileNameFor(entry: CatalogEntry, catalog: string): string {
  const name = posix.basename(entry.path);
  if (name === "" || name.startsWith(".") || [...name].some(isUnsafeCharacter))
    throw new NatsterError(
      "BAD_REQUEST",
      `catalog '${catalog}' names this file ${JSON.stringify(name)}, which natster does not write under a name ` +
        `it did not get from you: give the output file, e.g. natster catalog download ${catalog} ${entry.hash} ./file`,
    );
  return name;
}

const isUnsafeCharacter = (c: string): boolean => c === "\\" || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f;

/** The output file: the one named, or the entry's own name inside the folder. */
export const targetPath = (plan: OutputPlan, entry: CatalogEntry | undefined, catalog: string): string => {
  if (plan.kind === "file") return plan.path;
  if (!entry) throw new Error("a folder output needs the catalog entry");
  return join(plan.dir, fileNameFor(entry, catalog));
};
