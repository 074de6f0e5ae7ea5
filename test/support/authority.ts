import type { NatsConnection } from "@nats-io/nats-core";
import { createAccount, type KeyPair } from "@nats-io/nkeys";
import type { AccountReply } from "@natster/protocol";
import { AuthorityClient } from "../../cli/src/accounts/authority-client.ts";
import { mintUserCreds } from "../../cli/src/accounts/user-creds.ts";
import { loadStackKey, BASE_ACCOUNTS } from "@natster/identity";
import type { AuthorityLimits } from "../../workloads/account-authority/src/limits.ts";
import type { AccountLocks } from "../../workloads/account-authority/src/account-locks.ts";
import type { NonceStore } from "../../workloads/account-authority/src/nonce-store.ts";
import { startAuthority } from "../../workloads/account-authority/src/service.ts";
import type { TestStack } from "./test-stack.ts";

/**
 * Runs the real authority service against the test stack, as the `authority` and `sys` users
 * (call it again for another instance; give each a KvNonceBook and KvAccountLocks so they share nonces and locks).
 */
export async function runAuthority(
  stack: TestStack,
  limits?: AuthorityLimits,
  nonces?: NonceStore,
  locks?: AccountLocks,
): Promise<void> {
  const service = await stack.connect("authority", "authority");
  const sys = await stack.connect("sys", "authority-sys");
  const reserved = new Set([
    stack.identity.operator.public_key,
    ...BASE_ACCOUNTS.map((a) => stack.identity.accounts[a].public_key),
  ]);
  const svc = await startAuthority({
    service,
    sys,
    operatorSigner: loadStackKey(stack.dir, "operator-signing"),
    context: { globalAccount: stack.identity.accounts.NATSTER_GLOBAL.public_key, reserved },
    ...(limits ? { limits } : {}),
    ...(nonces ? { nonces } : {}),
    ...(locks ? { locks } : {}),
  });
  stack.defer(() => svc.stop());
}

export type TestUser = {
  name: string;
  account: KeyPair;
  signingKey: KeyPair;
  reply: AccountReply;
  connect(name?: string): Promise<NatsConnection>;
};

/** Creates a user account the way `natster init` does: keys here, signature by the authority. */
export async function createTestUser(stack: TestStack, authority: AuthorityClient, name: string): Promise<TestUser> {
  const account = createAccount();
  const signingKey = createAccount();
  const reply = await authority.createAccount(account, { name, signing_keys: [signingKey.getPublicKey()] });
  return {
    name,
    account,
    signingKey,
    reply,
    async connect(connName = name) {
      const { creds } = await mintUserCreds(account.getPublicKey(), signingKey, `${name}-user`);
      return stack.connect(creds, connName);
    },
  };
}

export async function publicAuthorityClient(stack: TestStack): Promise<AuthorityClient> {
  return new AuthorityClient(await stack.connect("public", "public"));
}

/** Setup for `suiteStack`: the authority runs on the stack, and a client reaches it from the public account. */
export async function withAuthority(stack: TestStack): Promise<{ authority: AuthorityClient }> {
  await runAuthority(stack);
  return { authority: await publicAuthorityClient(stack) };
}

/** Two users, `owner` and `friend`, the friend having imported the owner's `catalogs`. */
export async function ownerAndFriend(
  stack: TestStack,
  authority: AuthorityClient,
  catalogs: readonly string[],
): Promise<{ owner: TestUser; friend: TestUser }> {
  const owner = await createTestUser(stack, authority, "owner");
  const friend = await createTestUser(stack, authority, "friend");
  for (const catalog of catalogs)
    await authority.importCatalog(friend.account, { catalog, from: owner.account.getPublicKey() });
  return { owner, friend };
}
