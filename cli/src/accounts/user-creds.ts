import { encodeUser, fmtCreds, type User } from "@nats-io/jwt";
import { createUser, type KeyPair } from "@nats-io/nkeys";

/**
 * Mints a user in `accountPublicKey`, signed by the account's signing key (so the JWT carries
 * `issuer_account`). Users sign their own user JWTs; nothing leaves this machine.
 */
export async function mintUserCreds(
  accountPublicKey: string,
  signingKey: KeyPair,
  name: string,
  permissions: Partial<User> = {},
  expiresInSeconds?: number,
): Promise<{ creds: Uint8Array; jwt: string; user: KeyPair }> {
  const user = createUser();
  const exp = expiresInSeconds ? Math.floor(Date.now() / 1000) + expiresInSeconds : undefined;
  const jwt = await encodeUser(
    name,
    user,
    signingKey,
    { ...permissions, issuer_account: accountPublicKey },
    exp ? { exp } : {},
  );
  return { creds: fmtCreds(jwt, user), jwt, user };
}
