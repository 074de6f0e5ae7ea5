import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { createAccount } from "@nats-io/nkeys";
import { NatsterError, signRequest, Stores } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { decode, type Account } from "@nats-io/jwt";
import { KvAccountLocks } from "../../workloads/account-authority/src/account-locks.ts";
import { KvNonceBook, openAuthorityBucket } from "../../workloads/account-authority/src/kv-nonces.ts";
import { createTestUser, publicAuthorityClient, runAuthority } from "../support/authority.ts";
import { startTestStack } from "../support/test-stack.ts";
import { suiteStack } from "../support/suite-stack.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

describe("account authority: several instances share their nonces in a TTL bucket", () => {
  const suite = suiteStack(startTestStack, async (stack) => {
    // Each instance has its own connection, book and locks, as two processes would.
    const buckets = await Promise.all(
      ["authority-1", "authority-2"].map(async (name) => openAuthorityBucket(await stack.connect("global", name))),
    );
    const [one, other] = [new KvNonceBook(buckets[0]!), new KvNonceBook(buckets[1]!)];
    await runAuthority(stack, undefined, one, new KvAccountLocks(buckets[0]!));
    await runAuthority(stack, undefined, other, new KvAccountLocks(buckets[1]!));
    return { one, other };
  });

  it("given the bucket, when opened, then it is a TTL bucket of one replica on one server, reads at the leader", async () => {
    const { config } = await (
      await jetstreamManager(await suite.stack.connect("global"))
    ).streams.info(`KV_${Stores.authorityNonces}`);
    expect(config).toMatchObject({
      num_replicas: 1,
      max_age: 60_000 * 1_000_000,
      max_msgs_per_subject: 1,
      allow_direct: false,
    });
  });

  it("given a nonce issued by one instance, when the other redeems it, then it works exactly once, at either", async () => {
    const nonce = await suite.one.issue("10.0.0.1");
    expect(await suite.other.consume(nonce)).toBe(true);
    expect(await suite.other.consume(nonce)).toBe(false);
    expect(await suite.one.consume(nonce)).toBe(false);
  });

  it("given one nonce, when both instances redeem it at once, then exactly one succeeds, every time", async () => {
    const nonces = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? suite.one : suite.other).issue(`10.0.1.${i}`)),
    );
    const outcomes = await Promise.all(
      nonces.map((n) => Promise.all([suite.one.consume(n), suite.other.consume(n), suite.one.consume(n)])),
    );
    for (const o of outcomes) expect(o.filter(Boolean)).toHaveLength(1);
  });

  it("given made-up or malformed nonces, when redeemed, then they are unknown", async () => {
    for (const bad of ["made-up", "", "0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "../../x", "a.b.c"])
      expect(await suite.other.consume(bad)).toBe(false);
  });

  it("given a source holding its share of unused nonces, when it asks either instance for more, then it is refused with a stable code until it uses one", async () => {
    const [tight, tightOther] = (await Promise.all(
      ["tight-1", "tight-2"].map(async (name) =>
        KvNonceBook.open(await suite.stack.connect("global", name), { perSourceCapacity: 3 }),
      ),
    )) as [KvNonceBook, KvNonceBook];
    const held = [await tight.issue("10.0.2.1"), await tightOther.issue("10.0.2.1"), await tight.issue("10.0.2.1")];
    for (const book of [tight, tightOther]) {
      const err = await book.issue("10.0.2.1").then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(NatsterError);
      expect((err as NatsterError).code).toBe("NONCE_RATE_LIMITED");
    }
    expect(await tightOther.issue("10.0.2.2")).toMatch(/^[0-9a-f]{16}\.[A-Za-z0-9_-]{32}$/);
    expect(await tightOther.consume(held[0] ?? "")).toBe(true);
    expect(await tight.issue("10.0.2.1")).toMatch(/^[0-9a-f]{16}\./);
  });

  it("given an expired nonce, when redeemed, then it is refused even before the server sweeps it", async () => {
    let now = Date.now();
    const clocked = await KvNonceBook.open(await suite.stack.connect("global", "authority-clocked"), {
      now: () => now,
    });
    const late = await clocked.issue("10.0.3.1");
    now += 61_000;
    expect(await clocked.consume(late)).toBe(false);
    expect(await clocked.consume(late)).toBe(false);
  });

  it("given two instances on the authority's queue group, when users sign up and replay, then every signup works once and every replay is refused", async () => {
    const authority = await publicAuthorityClient(suite.stack);
    const users = await Promise.all(
      Array.from({ length: 6 }, (_, i) => createTestUser(suite.stack, authority, `multi-${i}`)),
    );
    for (const u of users) expect(u.reply.account).toBe(u.account.getPublicKey());

    const pub: NatsConnection = await suite.stack.connect("public", "replayer");
    const bodies = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const account = createAccount();
        const nonce = await authority.nonce();
        const payload = {
          op: "account.create" as const,
          account: account.getPublicKey(),
          nonce,
          name: "replay",
          signing_keys: [createAccount().getPublicKey()],
        };
        return enc.encode(JSON.stringify(signRequest(payload, (d) => account.sign(d))));
      }),
    );
    const ask = async (body: Uint8Array) =>
      JSON.parse(
        dec.decode((await pub.request("natster.authority.account.create", body, { timeout: 10_000 })).data),
      ) as { code: number; error_code?: string };
    // Each request twice at once: the queue group may hand the two copies to different instances.
    const answers = await Promise.all(bodies.map((b) => Promise.all([ask(b), ask(b)])));
    for (const pair of answers) {
      expect(pair.map((a) => a.code).sort()).toEqual([200, 401]);
      expect(pair.find((a) => a.code === 401)?.error_code).toBe("AUTH_NONCE_UNKNOWN");
    }
  });

  it("given a change of an account held by one instance, when another instance changes it, then it waits for the first to finish", async () => {
    const [a, b] = await Promise.all(
      ["lock-a", "lock-b"].map(async (name) => openAuthorityBucket(await suite.stack.connect("global", name))),
    );
    let bWaiting!: () => void;
    const bHasWaited = new Promise<void>((resolve) => (bWaiting = resolve));
    const lockA = new KvAccountLocks(a!);
    const lockB = new KvAccountLocks(b!, { onWait: () => bWaiting() });
    const account = createAccount().getPublicKey();
    const log: string[] = [];
    let releaseA!: () => void;
    const aHeld = new Promise<void>((resolve) => (releaseA = resolve));
    let aIn!: () => void;
    const aEntered = new Promise<void>((resolve) => (aIn = resolve));
    const first = lockA.run(account, async () => {
      log.push("a in");
      aIn();
      await aHeld;
      log.push("a out");
    });
    await aEntered;
    const second = lockB.run(account, () => {
      log.push("b in");
      return Promise.resolve();
    });
    await bHasWaited; // B found the lock held at least once
    expect(log).toEqual(["a in"]);
    releaseA();
    await Promise.all([first, second]);
    expect(log).toEqual(["a in", "a out", "b in"]);
  });

  it("given two instances, when one account asks for many imports at once, then every import lands (no change lost to another)", async () => {
    const authority = await publicAuthorityClient(suite.stack);
    const owner = await createTestUser(suite.stack, authority, "lock-owner");
    const user = await createTestUser(suite.stack, authority, "lock-user");
    const wanted = Array.from({ length: 6 }, (_, i) => ({ catalog: `cat${i}`, from: owner.account.getPublicKey() }));
    const results = await Promise.allSettled(wanted.map((w) => authority.importCatalog(user.account, w)));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const last = await authority.importCatalog(user.account, wanted[0]!);
    expect(last.changed).toBe(false);
    expect([...last.catalogs].sort((x, y) => x.catalog.localeCompare(y.catalog))).toEqual(wanted);
    const names = decode<Account>(last.jwt).nats.imports?.map((i) => i.name) ?? [];
    for (const w of wanted) expect(names).toContain(`natster_${w.catalog}_media`);
  });
});
