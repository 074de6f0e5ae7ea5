/**
 * Public-key checks without dependencies, so Nex functions (no nkeys library, 12 KiB limit)
 * and the browser share them. Format: base32(prefix byte ‖ 32-byte key ‖ CRC16-XMODEM little-endian).
 */

const PREFIX = { account: 0 << 3, user: 20 << 3, operator: 14 << 3, server: 13 << 3, curve: 23 << 3 } as const;
export type KeyKind = keyof typeof PREFIX;

/** The value of a base32 character (A–Z, 2–7), or -1: arithmetic, since a function's fresh context runs this cold. */
function base32Value(code: number): number {
  if (code >= 65 && code <= 90) return code - 65;
  if (code >= 50 && code <= 55) return code - 24;
  return -1;
}

function base32Decode(s: string): number[] | undefined {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (let i = 0; i < s.length; i++) {
    const v = base32Value(s.charCodeAt(i));
    if (v < 0) return undefined;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

/**
 * CRC16-XMODEM, a nibble at a time: two steps a byte instead of eight shifts and branches. Every
 * global API call checks its caller's key with it, in a fresh V8 context where the loop runs in the
 * interpreter. A nibble n's remainder is n times the polynomial (x^12 + x^5 + 1) without reduction,
 * since its degree stays below 16: (n << 12) ^ (n << 5) ^ n.
 */
export function crc16(bytes: ArrayLike<number>): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    let n = ((crc >>> 12) ^ (byte >>> 4)) & 0xf;
    crc = ((crc << 4) & 0xffff) ^ (n << 12) ^ (n << 5) ^ n;
    n = ((crc >>> 12) ^ byte) & 0xf;
    crc = ((crc << 4) & 0xffff) ^ (n << 12) ^ (n << 5) ^ n;
  }
  return crc;
}

/** True when `key` is a well-formed public nkey of the given kind with a valid checksum. */
export function isPublicKey(key: unknown, kind: KeyKind): key is string {
  if (typeof key !== "string" || key.length !== 56) return false;
  const raw = base32Decode(key);
  if (!raw || raw.length !== 35 || raw[0] !== PREFIX[kind]) return false;
  const body = raw.slice(0, 33);
  const sum = (raw[33] ?? 0) | ((raw[34] ?? 0) << 8);
  return crc16(body) === sum;
}

export const isAccountKey = (key: unknown): key is string => isPublicKey(key, "account");
export const isUserKey = (key: unknown): key is string => isPublicKey(key, "user");
export const isCurveKey = (key: unknown): key is string => isPublicKey(key, "curve");
