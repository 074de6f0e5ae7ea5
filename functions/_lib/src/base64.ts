const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * Decodes standard or URL-safe base64, padded or not (V8 under Nex has no atob). Returns
 * undefined on any other character.
 */
export function base64Bytes(s: string): number[] | undefined {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of s.replace(/=+$/, "")) {
    const v = ALPHABET.indexOf(ch === "-" ? "+" : ch === "_" ? "/" : ch);
    if (v < 0) return undefined;
    value = ((value << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return out;
}
