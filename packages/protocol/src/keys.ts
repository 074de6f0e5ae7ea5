/**
 * Public-key checks without dependencies, so Nex functions (no nkeys library, 12 KiB limit)
 * and the browser share them. Format: base32(prefix byte ‖ 32-byte key ‖ CRC16-XMODEM little-endian).
 */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const PREFIX = { account: 0 << 3, user: 20 << 3, operator: 14 << 3, server: 13 << 3, curve: 23 << 3 } as const;
export type KeyKind = keyof typeof PREFIX;

function base32Decode(s: string): number[] | undefined {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of s) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return undefined;
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

export function crc16(bytes: ArrayLike<number>): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= (bytes[i] ?? 0) << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
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
