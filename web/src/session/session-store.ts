/**
 * The browser login lives in sessionStorage only: it survives a reload of this tab and dies with
 * it. Never localStorage (upstream kept the user's seed there, bug 16).
 */
export type Session = {
  account: string;
  creds: string;
  ws_url: string;
  /** Every server of the stack: the page fails over by itself. */ ws_urls?: string[];
};

const KEY = "natster.session";

export function loadSession(storage: Storage = sessionStorage): Session | undefined {
  try {
    const raw = JSON.parse(storage.getItem(KEY) ?? "null") as Partial<Session> | null;
    if (!raw || typeof raw.account !== "string" || typeof raw.creds !== "string" || typeof raw.ws_url !== "string")
      return undefined;
    const wsUrls =
      Array.isArray(raw.ws_urls) && raw.ws_urls.every((u) => typeof u === "string") ? { ws_urls: raw.ws_urls } : {};
    return { account: raw.account, creds: raw.creds, ws_url: raw.ws_url, ...wsUrls };
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
