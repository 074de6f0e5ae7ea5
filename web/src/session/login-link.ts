/** A one-time login link: the code from the path, the sealing key from the fragment. */
export type LoginLink = { code: string; key: string };

const CODE = /^[0-9a-z]{1,64}$/i;
const KEY = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * Reads `/login/<code>#k=<key>` and, for links printed by older global functions, the hash-routed
 * `/#/login/<code>#k=<key>`. Undefined when this is not a login URL; `{code, key: ""}` when the
 * key is missing (a link cut short by a chat client).
 */
export function parseLoginLink(pathname: string, hash: string): LoginLink | undefined {
  const routed = /^#\/login\/([^#/?]+)(?:#(.*))?$/.exec(hash);
  const plain = /^\/login\/([^/?#]+)\/?$/.exec(pathname);
  const rawCode = routed?.[1] ?? plain?.[1];
  if (rawCode === undefined) return undefined;
  const code = safeDecode(rawCode);
  if (!CODE.test(code)) return { code: "", key: "" };
  const fragment = routed ? (routed[2] ?? "") : hash.replace(/^#/, "");
  const key = new URLSearchParams(fragment).get("k") ?? "";
  return { code: code.toLowerCase(), key: KEY.test(key) ? key : "" };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return "";
  }
}
