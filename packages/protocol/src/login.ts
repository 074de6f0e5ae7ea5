import { fromBase64Url, toBase64Url } from "./authority.ts";

/**
 * The browser login flow's sealing: `natster login` encrypts the browser-only creds under a random
 * AES-256-GCM key, stores only the ciphertext behind a one-time code, and puts the key in the URL
 * fragment, which browsers never send to a server. Works with WebCrypto in Node and browsers.
 */
export type SealedLogin = { sealed: string; key: string };

const subtle = () => globalThis.crypto.subtle;

export async function sealLogin(creds: string): Promise<SealedLogin> {
  const rawKey = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const key = await subtle().importKey("raw", rawKey, "AES-GCM", false, ["encrypt"]);
  const cipher = new Uint8Array(await subtle().encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(creds)));
  const sealed = new Uint8Array(iv.length + cipher.length);
  sealed.set(iv);
  sealed.set(cipher, iv.length);
  return { sealed: toBase64Url(sealed), key: toBase64Url(rawKey) };
}

/** Throws if the key is wrong or the ciphertext was altered. */
export async function openLogin(sealed: string, key: string): Promise<string> {
  const bytes = fromBase64Url(sealed);
  const aesKey = await subtle().importKey("raw", fromBase64Url(key), "AES-GCM", false, ["decrypt"]);
  const plain = await subtle().decrypt({ name: "AES-GCM", iv: bytes.slice(0, 12) }, aesKey, bytes.slice(12));
  return new TextDecoder().decode(plain);
}

/** Where the page claims a code: `${web_url}/login/<code>#k=<key>`. */
export const loginUrl = (claimUrl: string, key: string) => `${claimUrl}#k=${key}`;

/**
 * What a browser-only user may do: read catalogs and download from them, follow the feeds, see its
 * shares, ask the local catalog server for the inbox and to import. Nothing else, websocket only.
 */
export const BROWSER_PERMISSIONS = {
  pub: {
    allow: [
      "natster.catalog.*.get",
      "natster.catalog.*.download",
      "natster.catalog.*.credit.*",
      "natster.global.my.shares",
      "natster.global.whoami",
      "natster.local.inbox",
      "natster.local.import",
    ],
  },
  sub: { allow: ["_INBOX.>", "natster.media.>", "natster.global-events.>", "natster.local-events.>"] },
  allowed_connection_types: ["WEBSOCKET"] as ("WEBSOCKET" | "STANDARD")[],
};

export const DEFAULT_LOGIN_TTL_SECONDS = 8 * 3600;
/** `natster login --ttl` bounds; the longest is what the authority's revocation window is sized for. */
export const MIN_LOGIN_TTL_SECONDS = 60;
