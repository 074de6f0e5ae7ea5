import { encodeAccount } from "@nats-io/jwt";
import type { NatsConnection } from "@nats-io/nats-core";
import { createAccount } from "@nats-io/nkeys";
import { pushAccountJwt } from "@natster/node-kit";
import { catalogImports, globalImports, userExports, USER_LIMITS } from "@natster/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintUserCreds } from "../../cli/src/accounts/user-creds.ts";
import { loadStackKey } from "@natster/identity";
import {
  createTestUser,
  publicAuthorityClient,
  type TestUser,
  ownerAndFriend,
  withAuthority,
} from "../support/authority.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";

const dec = new TextDecoder();

describe("account token position isolation, enforced by the server", () => {
  let stack: TestStack;
  let owner: TestUser;
  let friend: TestUser;
  let ownerConn: NatsConnection;
  const seen: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    const { authority } = await withAuthority(stack);
    ({ owner, friend } = await ownerAndFriend(stack, authority, ["movies"]));
    ownerConn = await owner.connect();
    ownerConn.subscribe("*.natster.catalog.movies.get", {
      callback: (_err, msg) => {
        seen.push(msg.subject);
        msg.respond(msg.subject);
      },
    });
    await ownerConn.flush();
  });
  afterAll(() => stack?.stop());

  it("given an import through the authority, the owner sees the importer's own key in token 1", async () => {
    const nc = await friend.connect();
    const reply = await nc.request("natster.catalog.movies.get", new Uint8Array(), { timeout: 3000 });
    expect(dec.decode(reply.data)).toBe(`${friend.account.getPublicKey()}.natster.catalog.movies.get`);
  });

  it("an account that writes another account's key into its import is refused by the server itself", async () => {
    // Bypass the authority on purpose: sign the forged account with the operator signing key.
    const attacker = createAccount();
    const attackerSigning = createAccount();
    const me = attacker.getPublicKey();
    const forged = catalogImports(friend.account.getPublicKey(), {
      catalog: "movies",
      from: owner.account.getPublicKey(),
    });
    const jwt = await encodeAccount(
      "attacker",
      attacker,
      {
        exports: userExports(),
        imports: [...globalImports(me, stack.identity.accounts.NATSTER_GLOBAL.public_key), ...forged],
        limits: USER_LIMITS,
        signing_keys: [attackerSigning.getPublicKey()],
      },
      { signer: loadStackKey(stack.dir, "operator-signing") },
    );
    await pushAccountJwt(await stack.connect("sys"), jwt);
    const { creds } = await mintUserCreds(me, attackerSigning, "attacker-user");
    const nc = await stack.connect(creds, "attacker");
    const before = seen.length;
    await expect(nc.request("natster.catalog.movies.get", new Uint8Array(), { timeout: 1500 })).rejects.toThrow(
      /no responders|timeout/i,
    );
    // Publishing the victim's subject inside its own account reaches nobody either.
    await expect(
      nc.request(`${friend.account.getPublicKey()}.natster.catalog.movies.get`, new Uint8Array(), { timeout: 1500 }),
    ).rejects.toThrow(/no responders|timeout/i);
    expect(seen.length).toBe(before);
  });

  it("media streams reach only the account named in token 1", async () => {
    const friendConn = await friend.connect("friend-media");
    const stranger = await createTestUser(stack, await publicAuthorityClient(stack), "stranger");
    const strangerConn = await stranger.connect();
    const got: string[] = [];
    friendConn.subscribe("natster.media.movies.*", { callback: (_e, m) => void got.push(`friend:${m.subject}`) });
    strangerConn.subscribe(">", {
      callback: (_e, m) => {
        if (m.subject.includes("media")) got.push(`stranger:${m.subject}`);
      },
    });
    await Promise.all([friendConn.flush(), strangerConn.flush()]);
    ownerConn.publish(`${friend.account.getPublicKey()}.natster.media.movies.t1`, "chunk");
    ownerConn.publish(`${stranger.account.getPublicKey()}.natster.media.movies.t2`, "chunk");
    await ownerConn.flush();
    // The server routed both publishes before answering the owner's flush; each receiver's flush
    // returns only after everything routed to it earlier has reached its callback.
    await friendConn.flush();
    await strangerConn.flush();
    expect(got).toEqual(["friend:natster.media.movies.t1"]);
  });
});
