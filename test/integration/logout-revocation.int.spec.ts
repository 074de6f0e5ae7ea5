import { decode, encodeUser, type Account } from "@nats-io/jwt";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { credsAuthenticator } from "@nats-io/nats-core";
import { createAccount, createUser } from "@nats-io/nkeys";
import { lookupAccountJwt } from "@natster/node-kit";
import { BROWSER_PERMISSIONS } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { mintUserCreds } from "../../cli/src/accounts/user-creds.ts";
import { createTestUser, withAuthority, type TestUser } from "../support/authority.ts";
import { startTestStack } from "../support/test-stack.ts";
import { suiteStack } from "../support/suite-stack.ts";
import { expectCode } from "../support/expect-code.ts";

/** A browser login as `natster login` mints it (TCP allowed here: the test talks plain NATS). */
async function browserLogin(user: TestUser, ttlSeconds = 3600) {
  const { allowed_connection_types: _ws, ...permissions } = BROWSER_PERMISSIONS;
  return mintUserCreds(user.account.getPublicKey(), user.signingKey, `${user.name}-browser`, permissions, ttlSeconds);
}

describe("logout revokes the browser user", () => {
  const suite = suiteStack(startTestStack, async (stack) => {
    const { authority } = await withAuthority(stack);
    return { authority, alice: await createTestUser(stack, authority, "alice") };
  });

  const open = (creds: Uint8Array, name: string): Promise<NatsConnection> =>
    connect({
      servers: suite.stack.url,
      authenticator: credsAuthenticator(creds),
      name,
      maxReconnectAttempts: 1,
      reconnectTimeWait: 100,
    });

  /** Resolves with the first status event that says the server threw this connection out. */
  const thrownOut = (nc: NatsConnection) =>
    (async () => {
      for await (const s of nc.status()) if (s.type === "disconnect" || s.type === "error") return s.type;
      return "closed";
    })();

  it("given a page and a copy of its session, when the page logs out, then the open connection is closed and the copy cannot reconnect", async () => {
    const login = await browserLogin(suite.alice);
    const page = await open(login.creds, "page");
    const copy = await open(login.creds, "stolen-copy");
    const cli = await suite.alice.connect("alice-cli");
    const pageOut = thrownOut(page);
    const copyOut = thrownOut(copy);

    const reply = await suite.authority.logout(login.user, login.jwt);
    expect(reply).toMatchObject({
      account: suite.alice.account.getPublicKey(),
      revoked: [login.user.getPublicKey()],
      changed: true,
    });

    expect(await pageOut).toMatch(/disconnect|error/);
    expect(await copyOut).toMatch(/disconnect|error/);
    await expect(open(login.creds, "reconnect-attempt")).rejects.toThrow(/authorization|revoked/i);
    // The account's other users (the CLI, the catalog server) are not touched.
    expect(await cli.rtt()).toBeGreaterThanOrEqual(0);
    const claims = decode<Account>(
      (await lookupAccountJwt(await suite.stack.connect("sys", "lookup"), suite.alice.account.getPublicKey())) ?? "",
    ).nats;
    expect(claims.revocations?.[login.user.getPublicKey()]).toBeTypeOf("number");
    await Promise.allSettled([page.close(), copy.close()]);
  });

  it("given two browser logins, when the CLI logs out all of them (signed by the account key), then neither connects and a later import keeps the revocations", async () => {
    const first = await browserLogin(suite.alice);
    const second = await browserLogin(suite.alice, 7 * 86400);
    const reply = await suite.authority.revokeUsers(suite.alice.account, [first.jwt, second.jwt]);
    expect(reply.revoked.sort()).toEqual([first.user.getPublicKey(), second.user.getPublicKey()].sort());
    for (const login of [first, second])
      await expect(open(login.creds, "after-logout")).rejects.toThrow(/authorization|revoked/i);

    const owner = await createTestUser(suite.stack, suite.authority, "owner");
    const after = await suite.authority.importCatalog(suite.alice.account, {
      catalog: "films",
      from: owner.account.getPublicKey(),
    });
    expect(Object.keys(decode<Account>(after.jwt).nats.revocations ?? {})).toEqual(
      expect.arrayContaining([first.user.getPublicKey(), second.user.getPublicKey()]),
    );
    const fresh = await browserLogin(suite.alice);
    const nc = await open(fresh.creds, "new-login");
    expect(await nc.rtt()).toBeGreaterThanOrEqual(0);
    await nc.close();
  });

  it("logging out twice changes nothing the second time", async () => {
    const login = await browserLogin(suite.alice);
    await suite.authority.logout(login.user, login.jwt);
    expect((await suite.authority.logout(login.user, login.jwt)).changed).toBe(false);
  });

  describe("what a holder of a browser session cannot do with the logout endpoint", () => {
    it("cannot revoke another browser user of the same account (signed by its own key, naming the other's JWT)", async () => {
      const mine = await browserLogin(suite.alice);
      const other = await browserLogin(suite.alice);
      const { signRequest, Subjects } = await import("@natster/protocol");
      const pub = await suite.stack.connect("public", "forger");
      const body = signRequest(
        { op: "user.logout", user: mine.user.getPublicKey(), nonce: await suite.authority.nonce(), jwt: other.jwt },
        (d) => mine.user.sign(d),
      );
      const reply = JSON.parse(
        new TextDecoder().decode(
          (await pub.request(Subjects.authority.userLogout, JSON.stringify(body), { timeout: 10_000 })).data,
        ),
      ) as {
        error_code: string;
      };
      expect(reply.error_code).toBe("AUTH_BAD_USER_JWT");
      const nc = await open(other.creds, "still-in");
      expect(await nc.rtt()).toBeGreaterThanOrEqual(0);
      await nc.close();
    });

    it("cannot sign for a user key it does not hold", async () => {
      const victim = await browserLogin(suite.alice);
      const impostor = createUser();
      const { signRequest, Subjects } = await import("@natster/protocol");
      const pub = await suite.stack.connect("public", "impostor");
      const body = signRequest(
        { op: "user.logout", user: victim.user.getPublicKey(), nonce: await suite.authority.nonce(), jwt: victim.jwt },
        (d) => impostor.sign(d),
      );
      const reply = JSON.parse(
        new TextDecoder().decode(
          (await pub.request(Subjects.authority.userLogout, JSON.stringify(body), { timeout: 10_000 })).data,
        ),
      ) as {
        error_code: string;
      };
      expect(reply.error_code).toBe("AUTH_BAD_SIGNATURE");
    });

    it("cannot plant revocations in another account with a JWT its own key signed", async () => {
      const attackerKey = createAccount();
      const user = createUser();
      const forged = await encodeUser(
        "forged",
        user,
        attackerKey,
        { issuer_account: suite.alice.account.getPublicKey() },
        { exp: Math.floor(Date.now() / 1000) + 600 },
      );
      await expectCode(suite.authority.logout(user, forged), "AUTH_BAD_USER_JWT");
    });

    it("cannot revoke a user without an expiry (the CLI's own creds) through the logout path", async () => {
      const cliUser = await mintUserCreds(suite.alice.account.getPublicKey(), suite.alice.signingKey, "alice-cli-2");
      await expectCode(suite.authority.logout(cliUser.user, cliUser.jwt), "AUTH_BAD_USER_JWT");
      await expectCode(suite.authority.revokeUsers(suite.alice.account, [cliUser.jwt]), "AUTH_BAD_USER_JWT");
    });

    it("an account key cannot revoke the users of another account", async () => {
      const mallory = await createTestUser(suite.stack, suite.authority, "mallory");
      const victimLogin = await browserLogin(suite.alice);
      await expectCode(suite.authority.revokeUsers(mallory.account, [victimLogin.jwt]), "AUTH_BAD_USER_JWT");
    });
  });
});
