import type { AccountLimits, CatalogImport, ExportClaim, ImportClaim } from "./accounts.ts";

/**
 * Requests to the account authority are signed by the account key they name (proof of
 * possession) and carry a single-use nonce the authority issued, so they cannot be replayed.
 */
export type SignedRequest = { payload: string; sig: string };

export type AccountCreatePayload = {
  op: "account.create";
  account: string;
  nonce: string;
  name: string;
  signing_keys: string[];
  exports?: ExportClaim[];
  imports?: ImportClaim[];
  limits?: Partial<AccountLimits>;
};

export type ImportsAddPayload = { op: "imports.add"; account: string; nonce: string; imports: ImportClaim[] };
export type ImportsRemovePayload = { op: "imports.remove"; account: string; nonce: string; catalog: string };

/**
 * Logout from the CLI side: revoke browser users of the account (their user JWTs, which `natster
 * login` recorded). Signed by the account key, like every other account change.
 */
export type UsersRevokePayload = { op: "users.revoke"; account: string; nonce: string; users: string[] };

/** Requests signed by the account key they name. */
export type AuthorityPayload = AccountCreatePayload | ImportsAddPayload | ImportsRemovePayload | UsersRevokePayload;
export type AuthorityOp = AuthorityPayload["op"] | UserLogoutPayload["op"];

/**
 * Logout from the page: a browser user revokes itself. Signed by the user key being revoked (proof
 * of possession of that very key); `jwt` is its user JWT, which names the account and its issuer.
 * It can revoke nothing but itself, so holding a copy of a session allows no more than logging out.
 */
export type UserLogoutPayload = { op: "user.logout"; user: string; nonce: string; jwt: string };

export type NonceReply = { nonce: string; expires_in_ms: number };
export type AccountReply = { account: string; jwt: string; catalogs: CatalogImport[]; changed: boolean };
export type RevokeReply = { account: string; revoked: string[]; changed: boolean };

/**
 * How long a revocation stays in the account JWT: a revoked browser user's JWT expires within the
 * longest login (7 days), so the entry can go after that, which keeps the JWT small.
 */
export const MAX_LOGIN_TTL_SECONDS = 7 * 86400;
export const REVOCATION_KEEP_SECONDS = MAX_LOGIN_TTL_SECONDS + 3600;
/** At most this many live revocations per account (about one logout an hour for a week, twice over). */
export const MAX_REVOCATIONS = 512;

/** Base64url without padding; works in Node, browsers and V8 (btoa/atob are globals everywhere we run). */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64Url(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Builds a signed request; `sign` is the account key pair's sign function (it never leaves the caller). */
export function signRequest(
  payload: AuthorityPayload | UserLogoutPayload,
  sign: (data: Uint8Array) => Uint8Array,
): SignedRequest {
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  return { payload: toBase64Url(bytes), sig: toBase64Url(sign(bytes)) };
}
