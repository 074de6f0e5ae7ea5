import { AuthorityClient, connectWithCreds } from "@natster/node-kit";

/**
 * Runs `use` against the account authority, reached as the public account's shared user (its
 * creds may only reach the authority); the connection is closed afterwards, whatever happens.
 */
export async function withAuthority<T>(
  servers: string | string[],
  publicCreds: string,
  use: (authority: AuthorityClient) => Promise<T>,
): Promise<T> {
  const signup = await connectWithCreds(servers, new TextEncoder().encode(publicCreds), "natster_signup");
  try {
    return await use(new AuthorityClient(signup));
  } finally {
    await signup.close();
  }
}
