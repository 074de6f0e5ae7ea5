/**
 * What the modes under NATSTER_HOME must be: the home and every folder holding keys 0700, every
 * file holding a seed (or creds, which embed one) 0600. Pure: the adapter lists and applies.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const SECRET_FILE_MODE = 0o600;

/** Files that hold a seed, by name: nkeys and xkeys seeds, creds files; and the record of browser logins. */
export const isSeedFileName = (name: string): boolean => /\.(nk|xk|creds|seed)$|\.logins\.json$/.test(name);

export type FsEntry = { path: string; kind: "dir" | "file"; mode: number; holdsKeys: boolean };
export type ModeFix = { path: string; from: number; to: number };

/** The fixes needed so that nobody but the owner can read or list anything secret. */
export function modeFixes(entries: readonly FsEntry[]): ModeFix[] {
  const fixes: ModeFix[] = [];
  for (const e of entries) {
    const current = e.mode & 0o777;
    const wanted = e.kind === "dir" ? PRIVATE_DIR_MODE : SECRET_FILE_MODE;
    if (!e.holdsKeys) continue;
    // Only ever take permissions away: a 0500 key folder stays 0500.
    const fixed = current & wanted;
    if (fixed !== current) fixes.push({ path: e.path, from: current, to: fixed });
  }
  return fixes;
}

export const octal = (mode: number): string => `0${(mode & 0o777).toString(8).padStart(3, "0")}`;
