/** What the page needs from its user JWT: which account it acts for and when it expires. */
export type UserClaims = { account: string | undefined; expiresAt: number | undefined; name: string | undefined };

const JWT_IN_CREDS = /-----BEGIN NATS USER JWT-----\s*([A-Za-z0-9_.-]+)\s*------END NATS USER JWT------/;

/** Reads (does not verify: the server does) the claims of the user JWT inside a creds file. */
export function readUserClaims(creds: string): UserClaims | undefined {
  const jwt = JWT_IN_CREDS.exec(creds)?.[1];
  const payload = jwt?.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as {
      exp?: unknown;
      name?: unknown;
      nats?: { issuer_account?: unknown };
    };
    return {
      account: typeof claims.nats?.issuer_account === "string" ? claims.nats.issuer_account : undefined,
      expiresAt: typeof claims.exp === "number" ? claims.exp * 1000 : undefined,
      name: typeof claims.name === "string" ? claims.name : undefined,
    };
  } catch {
    return undefined;
  }
}

export const hasCredsShape = (creds: string): boolean =>
  JWT_IN_CREDS.test(creds) &&
  /-----BEGIN USER NKEY SEED-----\s*SU[A-Z0-9]+\s*------END USER NKEY SEED------/.test(creds);

const SEED_IN_CREDS = /-----BEGIN USER NKEY SEED-----\s*(SU[A-Z0-9]+)\s*------END USER NKEY SEED------/;

/** The user JWT and seed inside a creds file (what a logout signs with). */
export function credsParts(creds: string): { jwt: string; seed: string } | undefined {
  const jwt = JWT_IN_CREDS.exec(creds)?.[1];
  const seed = SEED_IN_CREDS.exec(creds)?.[1];
  return jwt && seed ? { jwt, seed } : undefined;
}
