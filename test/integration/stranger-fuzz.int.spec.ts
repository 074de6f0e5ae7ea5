/**
 * Every subject a stranger (or a stolen browser session) can reach, fuzzed with seeded malformed
 * input: the catalog server's get, download, credit and cancel; the account authority; the local
 * inbox and import. (otc.claim from the public account is fuzzed in global-fuzz.int.spec.ts.)
 * Each answers with a 4xx envelope, never crashes or hangs, and serves correct requests afterwards.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { createAccount, createCurve, createUser } from "@nats-io/nkeys";
import { signRequest, Subjects, type AuthorityPayload, type UserLogoutPayload } from "@natster/protocol";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadFile, openTransfer } from "@natster/transfer";
import { getPage } from "../../workloads/catalog-server/test/catalog-fixture.ts";
import { memorySink } from "../../workloads/catalog-server/test/memory-sink.ts";
import { sha256 } from "../../workloads/catalog-server/test/synthetic.ts";
import { startWorld, type ServedCatalog, type World } from "../../workloads/catalog-server/test/world.ts";
import { publicAuthorityClient } from "../support/authority.ts";
import { fuzzSeed, pool, prng } from "@natster/test-kit";
import { is4xxEnvelope, jsonCase, malformedBodies, rawCase, type FuzzCase, type Reply } from "../support/fuzz.ts";

const SEED = fuzzSeed();
const HOUR = 3_600_000;
const BIG_LIMIT = { max: 100_000, windowMs: HOUR };
const dec = new TextDecoder();

async function ask(nc: NatsConnection, subject: string, body: Uint8Array, timeout = 5000): Promise<Reply | string> {
  try {
    const reply = await nc.request(subject, body, { timeout });
    try {
      return JSON.parse(dec.decode(reply.data)) as Reply;
    } catch {
      return `not JSON: ${dec.decode(reply.data).slice(0, 100)}`;
    }
  } catch (e) {
    return `no reply: ${(e as Error).message}`;
  }
}

describe(`what a stranger can reach, fuzzed (seed ${SEED})`, () => {
  let w: World;
  let served: ServedCatalog;
  const random = prng(SEED);
  const big = randomBytes(700_000);
  const problems: string[] = [];
  let requests = 0;

  /** Sends every case and records each reply that is not a 4xx envelope (or, for `normal`, the normal answer). */
  async function fuzz(nc: NatsConnection, subject: string, cases: FuzzCase[], normal?: (r: Reply) => boolean) {
    await pool(cases, 4, async ({ label, body }) => {
      requests++;
      const reply = await ask(nc, subject, body);
      if (typeof reply === "string") problems.push(`${subject} <- ${label}: ${reply}`);
      else if (!is4xxEnvelope(reply) && !normal?.(reply))
        problems.push(`${subject} <- ${label}: ${JSON.stringify(reply).slice(0, 200)}`);
    });
  }

  beforeAll(async () => {
    w = await startWorld(["fuzzcat"], {
      authorityLimits: {
        noncesPerConnection: BIG_LIMIT,
        noncesPerSource: BIG_LIMIT,
        outstandingPerSource: 100_000,
        bookCapacity: 100_000,
      },
    });
    w.global.share(w.ownerKey, w.friendKey, "fuzzcat");
    served = await w.serve(
      "fuzzcat",
      { "hello.txt": "hello", "big.bin": big },
      {
        limits: { gets: BIG_LIMIT, downloads: BIG_LIMIT, concurrentDownloads: 1000 },
      },
    );
  }, 120_000);
  afterAll(() => w?.stack.stop());

  it("catalog get: malformed page requests from a friend and a stranger are refused with 4xx", async () => {
    const cases = [
      ...malformedBodies(random, { page: 0, page_size: 10 }),
      jsonCase("page negative", { page: -1 }),
      jsonCase("page fraction", { page: 0.5 }),
      jsonCase("page string", { page: "1" }),
      jsonCase("page huge", { page: 1e308 }),
      jsonCase("page_size zero", { page_size: 0 }),
      jsonCase("page_size huge", { page_size: 1e9 }),
      jsonCase("page_size nested", { page_size: [[[1]]] }),
    ];
    // Unknown fields are ignored (as upstream): such a body gets exactly the first page.
    const firstPage = JSON.stringify(await getPage(w.friendNc, "fuzzcat"));
    await fuzz(w.friendNc, "natster.catalog.fuzzcat.get", cases, (r) => JSON.stringify(r) === firstPage);
    await fuzz(w.strangerNc, "natster.catalog.fuzzcat.get", cases, (r) => r.code === 403);
  });

  it("catalog download: malformed download requests are refused with 4xx, none starts a transfer", async () => {
    const valid = {
      version: 2,
      hash: sha256("hello"),
      receiver_xkey: createCurve().getPublicKey(),
      transfer_id: "a".repeat(32),
    };
    const cases = [
      ...malformedBodies(random, valid),
      jsonCase("version 1", { ...valid, version: 1 }),
      jsonCase("version string", { ...valid, version: "2" }),
      jsonCase("hash upper case", { ...valid, hash: valid.hash.toUpperCase() }),
      jsonCase("hash short", { ...valid, hash: "abc" }),
      jsonCase("hash unknown", { ...valid, hash: sha256("not in the catalog") }),
      jsonCase("hash a path", { ...valid, hash: "../../../etc/passwd" }),
      jsonCase("transfer_id wildcard", { ...valid, transfer_id: "*" }),
      jsonCase("transfer_id subject tokens", { ...valid, transfer_id: "a.b.>" }),
      jsonCase("receiver_xkey an account key", { ...valid, receiver_xkey: createAccount().getPublicKey() }),
      jsonCase("receiver_xkey garbage", { ...valid, receiver_xkey: "X" + "A".repeat(55) }),
      jsonCase("cipher unknown", { ...valid, cipher: "rot13" }),
      jsonCase("cipher none (plaintext)", { ...valid, cipher: "none" }),
      jsonCase("offset negative", { ...valid, offset: -1 }),
      jsonCase("offset past the end", { ...valid, offset: 10_000 }),
      jsonCase("length past the end", { ...valid, length: 10_000 }),
      jsonCase("length fraction", { ...valid, length: 1.5 }),
      jsonCase("chunk_size zero", { ...valid, chunk_size: 0 }),
      jsonCase("credit negative", { ...valid, credit: -5 }),
      jsonCase("credit string", { ...valid, credit: "64" }),
      jsonCase("sender_digest a string", { ...valid, sender_digest: "true" }),
      jsonCase("sender_digest with an offset", { ...valid, sender_digest: true, offset: 1 }),
      jsonCase("sender_digest with a length", { ...valid, sender_digest: true, length: 1 }),
      jsonCase("sender_digest in plaintext", { ...valid, sender_digest: true, cipher: "none" }),
    ];
    await fuzz(w.friendNc, "natster.catalog.fuzzcat.download", cases);
    await fuzz(w.strangerNc, "natster.catalog.fuzzcat.download", cases, (r) => r.code === 403);
    expect(served.lines.filter((l) => /^download .* -> 200 sent/.test(l))).toEqual([]);
  });

  it("credit and cancel: garbage credit, a stranger's cancel and credit for unknown transfers do not disturb a transfer in flight", async () => {
    const transfer = await openTransfer({
      nc: w.friendNc,
      catalog: "fuzzcat",
      hash: sha256(big),
      window: 1,
      chunkSize: 16 * 1024,
    });
    const id = transfer.reply.transfer_id;
    const chunks = transfer[Symbol.asyncIterator]();
    const first = await chunks.next();
    expect(first.done).toBe(false);
    const ids = [id, "b".repeat(32), "*", "x"];
    const garbage = [
      ...malformedBodies(random, { received: 1, credit: 4 }).filter((c) => c.body.length < 64 * 1024),
      jsonCase("credit negative", { received: -1, credit: -9 }),
      jsonCase("received huge", { received: 1e300, credit: 1 }),
      jsonCase("cancel string", { cancel: "yes" }),
    ];
    for (const transferId of ids) {
      for (const { body } of garbage) {
        requests++;
        w.friendNc.publish(`natster.catalog.fuzzcat.credit.${transferId}`, body);
      }
      // A stranger's cancel lands on its own token-1 subject, never on the friend's transfer.
      w.strangerNc.publish(
        `natster.catalog.fuzzcat.credit.${transferId}`,
        jsonCase("cancel", { transfer_id: transferId, cancel: true, received: 0, credit: 0 }).body,
      );
    }
    await w.friendNc.flush();
    const received = [first.value as Uint8Array];
    for (let step = await chunks.next(); !step.done; step = await chunks.next()) received.push(step.value);
    expect(sha256(Buffer.concat(received))).toBe(sha256(big));
  });

  it("the authority: malformed and mis-signed requests from the public account are refused with 4xx", async () => {
    const pub = await w.stack.connect("public", "fuzz-public");
    const authority = await publicAuthorityClient(w.stack);
    const account = createAccount();
    const signed = async (payload: Omit<AuthorityPayload, "nonce">, label: string): Promise<FuzzCase> =>
      jsonCase(
        label,
        signRequest({ ...payload, nonce: await authority.nonce() } as AuthorityPayload, (d) => account.sign(d)),
      );
    const me = account.getPublicKey();
    for (const [subject, valid] of [
      [
        Subjects.authority.accountCreate,
        { op: "account.create", account: me, name: "x", signing_keys: [createAccount().getPublicKey()] },
      ],
      [Subjects.authority.importsAdd, { op: "imports.add", account: me, imports: [] }],
      [Subjects.authority.importsRemove, { op: "imports.remove", account: me, catalog: "x" }],
      [Subjects.authority.usersRevoke, { op: "users.revoke", account: me, users: [] }],
      [Subjects.authority.userLogout, { op: "user.logout", user: createUser().getPublicKey(), jwt: "x" }],
    ] as const) {
      const cases = [
        ...malformedBodies(random, { payload: "e30", sig: "AA" }),
        jsonCase("payload not base64url", { payload: "!!", sig: "AA" }),
        jsonCase("payload base64 of garbage", { payload: "_w", sig: "A" }),
        jsonCase("payload a JSON array", { payload: Buffer.from("[]").toString("base64url"), sig: "AA" }),
        jsonCase("unsigned valid payload", {
          payload: Buffer.from(JSON.stringify({ ...valid, nonce: "n" })).toString("base64url"),
          sig: "",
        }),
        jsonCase("other op", {
          payload: Buffer.from(JSON.stringify({ ...valid, op: "account.delete", nonce: "n" })).toString("base64url"),
          sig: "AA",
        }),
        rawCase("oversize (70 KB)", JSON.stringify({ payload: "A".repeat(70_000), sig: "" })),
      ];
      const garbage: Record<string, [string, unknown][]> = {
        [Subjects.authority.accountCreate]: [
          ["signing_keys", [me]],
          ["limits", { conn: "x" }],
          ["imports", "not an array"],
          ["name", "\u0000".repeat(100)],
        ],
        [Subjects.authority.importsAdd]: [
          ["imports", "not an array"],
          ["imports", [{ name: "x", subject: ">", account: me, type: "service" }]],
        ],
        [Subjects.authority.importsRemove]: [["catalog", { a: 1 }]],
        [Subjects.authority.usersRevoke]: [
          ["users", ["a.b.c", 5, null]],
          ["users", []],
        ],
      };
      if (subject !== Subjects.authority.userLogout) {
        for (const [field, value] of garbage[subject] ?? [])
          cases.push(
            await signed({ ...valid, [field]: value }, `signed, ${field} ${JSON.stringify(value).slice(0, 30)}`),
          );
        cases.push(
          jsonCase(
            "signed with an unknown nonce",
            signRequest({ ...valid, nonce: "never-issued" } as AuthorityPayload, (d) => account.sign(d)),
          ),
        );
      } else {
        const user = createUser();
        const logout = (jwt: unknown): UserLogoutPayload => ({
          op: "user.logout",
          user: user.getPublicKey(),
          nonce: "",
          jwt: jwt as string,
        });
        for (const [label, jwt] of [
          ["jwt garbage", "a.b.c"],
          ["jwt number", 5],
          ["jwt huge", "e".repeat(20_000)],
        ] as const) {
          const p = { ...logout(jwt), nonce: await authority.nonce() };
          cases.push(
            jsonCase(
              `signed logout, ${label}`,
              signRequest(p, (d) => user.sign(d)),
            ),
          );
        }
      }
      await fuzz(pub, subject, cases);
    }
    await fuzz(pub, Subjects.authority.nonce, malformedBodies(random, {}), (r) => r.code === 200);
  });

  it("local inbox and import (what a browser session may send): malformed input gets 4xx", async () => {
    const valid = { catalog: "fuzzcat", from: w.ownerKey };
    const imports = [
      ...malformedBodies(random, valid),
      jsonCase("catalog with a dot", { ...valid, catalog: "a.b" }),
      jsonCase("catalog a path", { ...valid, catalog: "../../keys" }),
      jsonCase("from a user key", { ...valid, from: createUser().getPublicKey() }),
      jsonCase("from missing", { catalog: "x" }),
      jsonCase("own catalog's name", { catalog: "fuzzcat", from: createAccount().getPublicKey() }),
    ];
    await fuzz(w.ownerNc, "natster.local.import", imports);
    await fuzz(w.ownerNc, "natster.local.inbox", malformedBodies(random, {}), (r) => r.code === 200);
    await fuzz(w.ownerNc, "natster.local.frobnicate", [rawCase("unknown verb", "{}")]);
  });

  it("afterwards: no request misbehaved, and every endpoint serves correct requests", async () => {
    expect(problems, `seed ${SEED}: ${problems.length} of ${requests} requests misbehaved`).toEqual([]);
    expect(requests).toBeGreaterThan(250);
    expect(served.lines.filter((l) => /INTERNAL|500 /.test(l))).toEqual([]);

    expect((await getPage(w.friendNc, "fuzzcat")).code).toBe(200);
    const sink = memorySink();
    await downloadFile({ nc: w.friendNc, catalog: "fuzzcat", hash: sha256(big), sink });
    expect(sha256(sink.bytes())).toBe(sha256(big));
    expect((await getPage(w.strangerNc, "fuzzcat")).code).toBe(403);
    const authority = await publicAuthorityClient(w.stack);
    expect(
      (
        await authority.createAccount(createAccount(), {
          name: "after",
          signing_keys: [createAccount().getPublicKey()],
        })
      ).changed,
    ).toBe(true);
    const inbox = (await ask(w.ownerNc, "natster.local.inbox", new Uint8Array())) as Reply;
    expect(inbox.code).toBe(200);
  });
});
