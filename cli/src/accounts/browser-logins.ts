import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkContextName, writeSecretFile } from "../context/context-store.ts";

/**
 * The browser logins `natster login` minted for a context, kept so that `natster logout` can
 * revoke them: the user key, its JWT (the authority checks who issued it) and when it expires.
 * No seed: the browser user's seed only ever exists sealed or in the page.
 */
export type BrowserLogin = { user: string; jwt: string; expires_at: number; created_at: number };

export const loginsPath = (home: string, context: string) => join(home, `${checkContextName(context)}.logins.json`);

export function readLogins(home: string, context: string, nowSeconds = Math.floor(Date.now() / 1000)): BrowserLogin[] {
  const path = loginsPath(home, context);
  if (!existsSync(path)) return [];
  try {
    const logins = JSON.parse(readFileSync(path, "utf8")) as BrowserLogin[];
    return Array.isArray(logins) ? logins.filter((l) => typeof l.jwt === "string" && l.expires_at > nowSeconds) : [];
  } catch {
    return [];
  }
}

export function writeLogins(home: string, context: string, logins: readonly BrowserLogin[]): void {
  writeSecretFile(loginsPath(home, context), JSON.stringify(logins, null, 2) + "\n");
}

export function recordLogin(home: string, context: string, login: BrowserLogin): void {
  writeLogins(home, context, [...readLogins(home, context), login]);
}

/** Which logins a logout revokes: the newest one, or every live one with --all. */
export const loginsToRevoke = (logins: readonly BrowserLogin[], all: boolean): BrowserLogin[] =>
  all ? [...logins] : [...logins].sort((a, b) => b.created_at - a.created_at).slice(0, 1);
