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

export type AuthorityPayload = AccountCreatePayload | ImportsAddPayload | ImportsRemovePayload;
export type AuthorityOp = AuthorityPayload["op"];

export type NonceReply = { nonce: string; expires_in_ms: number };
export type AccountReply = { account: string; jwt: string; catalogs: CatalogImport[]; changed: boolean };

/** Base64url without padding; works in Node, browsers and V8 (btoa/atob are globals everywhere we run). */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64Url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Builds a signed request; `sign` is the account key pair's sign function (it never leaves the caller). */
export function signRequest(payload: AuthorityPayload, sign: (data: Uint8Array) => Uint8Array): SignedRequest {
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  return { payload: toBase64Url(bytes), sig: toBase64Url(sign(bytes)) };
}
