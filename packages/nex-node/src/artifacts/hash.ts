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

/** Whether a request's hash names a SHA-256 at all: upstream `nex devrun` sends the constant "abc12345TODOmakethisreal". */
export const isSha256 = (hash: string): boolean => /^[0-9a-f]{64}$/.test(normalizeHash(hash));

/**
 * Real 0.x only checks that the request's hash equals the one its JWT signs, never the artifact's bytes.
 * This node also checks the bytes whenever the hash is a SHA-256, and accepts a non-hash (upstream devrun's
 * constant) as real 0.x does, so the real `nex devrun` works against it.
 */
export function hashMatches(bytes: Uint8Array, claimed: string): boolean {
  return !isSha256(claimed) || normalizeHash(claimed) === sha256Hex(bytes);
}
