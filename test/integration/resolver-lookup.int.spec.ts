import { Algorithms, decode, encode, encodeAccount, type Account } from "@nats-io/jwt";
import type { NatsConnection } from "@nats-io/nats-core";
import { createAccount, type KeyPair } from "@nats-io/nkeys";
import { connectWithCreds, lookupAccountJwt, pushAccountJwt } from "@natster/node-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStackKey, readStackCreds } from "@natster/identity";
import { pushBaseAccounts } from "../../infra/stack/nats-admin.ts";
import { natsMode } from "../support/mode.ts";
import { startTestCluster, type TestCluster } from "../support/test-cluster.ts";
import { startTestStack } from "../support/test-stack.ts";
import { suiteStack } from "../support/suite-stack.ts";

/** An account JWT issued at `iat` (seconds), so two versions of one account are ordered without waiting a second. */
async function accountJwt(dir: string, account: KeyPair, description: string, iat: number): Promise<string> {
  const signer = loadStackKey(dir, "operator-signing");
  const claims = decode<Account>(await encodeAccount(description, account, { description }, { signer }));
  return encode(Algorithms.v2, { ...claims, iat }, signer);
}

const descriptionOf = (jwt: string | undefined) => (jwt ? decode<Account>(jwt).nats.description : undefined);

describe("resolver lookups: one account per request", () => {
  const suite = suiteStack(startTestStack, async (stack) => ({ sys: await stack.connect("sys", "resolver-lookup") }));

  it("given many accounts pushed, when each is looked up by its key, then each lookup answers that account's JWT", async () => {
    const accounts = Array.from({ length: 12 }, () => createAccount());
    for (const [i, account] of accounts.entries())
      await pushAccountJwt(suite.sys, await accountJwt(suite.stack.dir, account, `account ${i}`, 1_000));
    const found = await Promise.all(accounts.map((a) => lookupAccountJwt(suite.sys, a.getPublicKey())));
    expect(found.map((jwt) => (jwt ? decode<Account>(jwt).sub : undefined))).toEqual(
      accounts.map((a) => a.getPublicKey()),
    );
    expect(found.map(descriptionOf)).toEqual(accounts.map((_, i) => `account ${i}`));
  });

  it("given an account updated, when looked up, then the newest JWT comes back", async () => {
    const account = createAccount();
    await pushAccountJwt(suite.sys, await accountJwt(suite.stack.dir, account, "first", 2_000));
    await pushAccountJwt(suite.sys, await accountJwt(suite.stack.dir, account, "second", 2_001));
    expect(descriptionOf(await lookupAccountJwt(suite.sys, account.getPublicKey()))).toBe("second");
  });

  it("given an account nobody pushed, when looked up, then it is unknown", async () => {
    expect(await lookupAccountJwt(suite.sys, createAccount().getPublicKey())).toBeUndefined();
  });
});

describe("resolver lookups on a 3-node cluster", () => {
  let cluster: TestCluster;
  let conns: NatsConnection[];

  beforeAll(async () => {
    cluster = await startTestCluster(natsMode());
    conns = await Promise.all(
      cluster.urls.map((url, i) => connectWithCreds(url, readStackCreds(cluster.dir, "sys"), `resolver-${i}`)),
    );
    await pushBaseAccounts(conns[0] as NatsConnection, cluster.identity);
  });
  afterAll(async () => {
    await Promise.allSettled((conns ?? []).map((nc) => nc.close()));
    await cluster?.stop();
  });

  it("given a JWT pushed through one server and updated through another, when any server is asked, then it answers the newest", async () => {
    const [n1, n2, n3] = conns as [NatsConnection, NatsConnection, NatsConnection];
    const account = createAccount();
    expect(await lookupAccountJwt(n2, account.getPublicKey())).toBeUndefined();
    await pushAccountJwt(n1, await accountJwt(cluster.dir, account, "first", 3_000));
    await pushAccountJwt(n3, await accountJwt(cluster.dir, account, "second", 3_001));
    for (const nc of conns) expect(descriptionOf(await lookupAccountJwt(nc, account.getPublicKey()))).toBe("second");
    expect(descriptionOf(await lookupAccountJwt(n1, account.getPublicKey()))).toBe("second");
  });
});
