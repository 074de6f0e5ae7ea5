import { createHash } from "node:crypto";

export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/**
 * A hash as clients send it, as lowercase hex: plain hex, or an object-store digest
 * `SHA-256=<base64url>` (what `nex run` forwards after `SanitizeNATSDigest`).
 */
export function normalizeHash(hash: string): string {
  const digest = /^SHA-256=(.+)$/i.exec(hash.trim());
  if (!digest) return hash.trim().toLowerCase();
  return Buffer.from((digest[1] ?? "").replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("hex");
}

export function hashMatches(bytes: Uint8Array, claimed: string): boolean {
  return normalizeHash(claimed) === sha256Hex(bytes);
}
