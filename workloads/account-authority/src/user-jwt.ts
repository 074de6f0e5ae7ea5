import { fromBase64Url, isAccountKey, isUserKey, MAX_LOGIN_TTL_SECONDS, NatsterError } from "@natster/protocol";

/** A browser user as its JWT describes it, after the signature checked out. */
export type BrowserUser = { user: string; account: string; issuer: string; iat: number; exp: number };

export type VerifyKey = (publicKey: string, data: Uint8Array, sig: Uint8Array) => boolean;

const bad = (why: string): never => {
  throw new NatsterError("AUTH_BAD_USER_JWT", why);
};

const json = (part: string): Record<string, unknown> => {
  try {
    const value = JSON.parse(new TextDecoder().decode(fromBase64Url(part))) as unknown;
    if (typeof value === "object" && value !== null) return value as Record<string, unknown>;
  } catch {
    // falls through
  }
  return bad("the user JWT is not a JWT");
};

/**
 * Reads a user JWT and checks its signature with its issuer key. Only a login can be revoked this
 * way: it must expire within MAX_LOGIN_TTL_SECONDS, which is what lets the authority drop the
 * revocation once the JWT is dead. Whether the issuer belongs to the account is the caller's check.
 */
export function readBrowserUser(jwt: unknown, verify: VerifyKey): BrowserUser {
  if (typeof jwt !== "string" || jwt.length > 8192) return bad("the user JWT must be a string of at most 8 KiB");
  const parts = jwt.split(".");
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) return bad("the user JWT is not a JWT");
  const [head, body, sig] = parts as [string, string, string];
  const header = json(head);
  if (header.alg !== "ed25519-nkey") return bad("the user JWT is not an nkey JWT");
  const claims = json(body);
  const nats = (typeof claims.nats === "object" && claims.nats !== null ? claims.nats : {}) as Record<string, unknown>;
  const { sub: user, iss: issuer, iat, exp } = claims;
  if (!isUserKey(user) || !isAccountKey(issuer) || nats.type !== "user")
    return bad("the JWT is not a user JWT issued by an account");
  const account = nats.issuer_account ?? issuer;
  if (!isAccountKey(account)) return bad("issuer_account is not an account key");
  if (typeof iat !== "number" || typeof exp !== "number")
    return bad("only a login (a user JWT with an expiry) can be revoked this way");
  if (exp - iat > MAX_LOGIN_TTL_SECONDS) return bad("the user JWT lives longer than any login");
  if (!verifies(verify, issuer, `${head}.${body}`, sig)) return bad("the user JWT's signature does not verify");
  return { user, account, issuer, iat, exp };
}

function verifies(verify: VerifyKey, issuer: string, signed: string, sig: string): boolean {
  try {
    return verify(issuer, new TextEncoder().encode(signed), fromBase64Url(sig));
  } catch {
    return false;
  }
}
