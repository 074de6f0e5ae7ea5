import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isSeedFileName, modeFixes, octal, PRIVATE_DIR_MODE, type FsEntry, type ModeFix } from "./home-modes.ts";

/**
 * Creates NATSTER_HOME 0700 if missing, then re-checks on every run that the home, every folder
 * holding keys and every seed file are private, fixing (and reporting) whatever is not.
 * `keyDirs` are the folders that hold keys (`<home>/keys`, the stack's keys and creds).
 */
export function guardHome(home: string, keyDirs: readonly string[], warn: (line: string) => void): ModeFix[] {
  if (!existsSync(home)) mkdirSync(home, { recursive: true, mode: PRIVATE_DIR_MODE });
  const entries: FsEntry[] = [entry(home, true)];
  for (const name of safeList(home)) {
    const path = join(home, name);
    const st = lstatSync(path);
    if (st.isFile() && isSeedFileName(name)) entries.push(entry(path, true));
  }
  for (const dir of keyDirs) if (existsSync(dir)) walkKeys(dir, entries);
  const fixes = modeFixes(entries);
  for (const fix of fixes) {
    chmodSync(fix.path, fix.to);
    warn(
      `natster: warning [INSECURE_MODE_FIXED]: ${fix.path} was ${octal(fix.from)}, readable by others; now ${octal(fix.to)}`,
    );
  }
  return fixes;
}

function walkKeys(dir: string, into: FsEntry[]): void {
  const st = lstatSync(dir);
  if (st.isSymbolicLink()) return;
  if (st.isDirectory()) {
    into.push(entry(dir, true));
    for (const name of safeList(dir)) walkKeys(join(dir, name), into);
  } else if (st.isFile()) {
    into.push(entry(dir, true));
  }
}

function entry(path: string, holdsKeys: boolean): FsEntry {
  const st = lstatSync(path);
  return { path, kind: st.isDirectory() ? "dir" : "file", mode: st.mode, holdsKeys };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
