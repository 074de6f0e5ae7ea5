/**
 * The browser login lives in sessionStorage only: it survives a reload of this tab and dies with
 * it. Never localStorage (upstream kept the user's seed there, bug 16).
 */
export type Session = { account: string; creds: string; ws_url: string };

const KEY = "natster.session";

export function loadSession(storage: Storage = sessionStorage): Session | undefined {
  try {
    const raw = JSON.parse(storage.getItem(KEY) ?? "null") as Partial<Session> | null;
    if (!raw || typeof raw.account !== "string" || typeof raw.creds !== "string" || typeof raw.ws_url !== "string") return undefined;
    return { account: raw.account, creds: raw.creds, ws_url: raw.ws_url };
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session, storage: Storage = sessionStorage): void {
  storage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage = sessionStorage): void {
  storage.removeItem(KEY);
}
