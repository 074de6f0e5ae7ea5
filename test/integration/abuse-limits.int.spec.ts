/**
 * Abuse limits (SECURITY.md): each is hit by one account while another account's legitimate
 * traffic still goes through. Windows are an hour long here so no verdict depends on speed.
 */
import { headers, type NatsConnection } from "@nats-io/nats-core";
import { createAccount } from "@nats-io/nkeys";
import { Subjects, type Envelope } from "@natster/protocol";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadFile, openTransfer } from "@natster/transfer";
import { getPage, requestJson } from "../../workloads/catalog-server/test/catalog-fixture.ts";
import { memorySink } from "../../workloads/catalog-server/test/memory-sink.ts";
import { sha256 } from "../../workloads/catalog-server/test/synthetic.ts";
import { until } from "@natster/test-kit";
import { startWorld, type World } from "../../workloads/catalog-server/test/world.ts";
import { publicAuthorityClient, runAuthority } from "../support/authority.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";

const HOUR = 3_600_000;
type Refusal = Envelope<unknown> & { error_code?: string };

describe("authority nonce limits", () => {
  let stack: TestStack;
  const nonce = (nc: NatsConnection): Promise<Refusal> =>
    requestJson<{ nonce: string }>(nc, Subjects.authority.nonce, "", 5000);
  const nonceWith = async (nc: NatsConnection, h: ReturnType<typeof headers>) =>
    JSON.parse(
      new TextDecoder().decode(
        (await nc.request(Subjects.authority.nonce, new Uint8Array(), { timeout: 5000, headers: h })).data,
      ),
    ) as Refusal;

  beforeAll(async () => {
    stack = await startTestStack();
    await runAuthority(stack, {
      noncesPerConnection: { max: 3, windowMs: HOUR },
      noncesPerSource: { max: 1000, windowMs: HOUR },
      outstandingPerSource: 6,
      bookCapacity: 10_000,
    });
  });
  afterAll(() => stack?.stop());

  it("given a flood, then the flooding connection and then its source are refused, another connection is served, and no issued nonce is dropped", async () => {
    const victim = await publicAuthorityClient(stack);
    const victimAccount = createAccount();
    const victimNonce = await victim.nonce();

    const flooder = await stack.connect("public", "flooder");
    for (let i = 0; i < 3; i++) expect((await nonce(flooder)).code).toBe(200);
    expect(await nonce(flooder)).toMatchObject({
      code: 429,
      error_code: "NONCE_RATE_LIMITED",
      error: expect.stringContaining("connection") as string,
    });
    // The header that names the source is the server's: a forged one is overwritten.
    const forged = headers();
    forged.set("Nats-Request-Info", JSON.stringify({ host: "203.0.113.9", id: 999_999, server: "elsewhere" }));
    expect(await nonceWith(flooder, forged)).toMatchObject({ code: 429, error_code: "NONCE_RATE_LIMITED" });

    const bystander = await stack.connect("public", "bystander");
    const served = await nonce(bystander);
    expect(served.code).toBe(200);

    // New connections dodge the per-connection limit; the source's share of unused nonces does not.
    let refused: Refusal | undefined;
    for (let i = 0; i < 5 && !refused; i++) {
      const reply = await nonce(await stack.connect("public", `flooder-${i}`));
      if (reply.code !== 200) refused = reply;
    }
    expect(refused).toMatchObject({
      code: 429,
      error_code: "NONCE_RATE_LIMITED",
      error: expect.stringContaining("unused nonces") as string,
    });

    // Every nonce issued before the flood still works (the book refused new ones instead of evicting).
    const { signRequest } = await import("@natster/protocol");
    const payload = {
      op: "account.create" as const,
      account: victimAccount.getPublicKey(),
      nonce: victimNonce,
      name: "victim",
      signing_keys: [createAccount().getPublicKey()],
    };
    const body = JSON.stringify(signRequest(payload, (d) => victimAccount.sign(d)));
    const pub = await stack.connect("public", "victim-raw");
    const created = JSON.parse(
      new TextDecoder().decode((await pub.request(Subjects.authority.accountCreate, body, { timeout: 10_000 })).data),
    ) as Refusal;
    expect(created.code).toBe(200);
  });
});

describe("catalog server limits per requester", () => {
  let w: World;
  const big = randomBytes(2_000_000);

  beforeAll(async () => {
    w = await startWorld(["limited", "held"]);
    for (const catalog of ["limited", "held"]) {
      w.global.share(w.ownerKey, w.friendKey, catalog);
      w.global.share(w.ownerKey, w.strangerKey, catalog);
    }
    const limits = { gets: { max: 4, windowMs: HOUR }, downloads: { max: 2, windowMs: HOUR }, concurrentDownloads: 8 };
    await w.serve("limited", { "a.txt": "alpha", "b.txt": "bravo" }, { limits });
    await w.serve(
      "held",
      { "big.bin": big },
      {
        limits: {
          ...limits,
          gets: { max: 1000, windowMs: HOUR },
          downloads: { max: 1000, windowMs: HOUR },
          concurrentDownloads: 1,
        },
      },
    );
  }, 120_000);
  afterAll(() => w?.stack.stop());

  it("given an importer over its get limit, then it gets 429 CATALOG_RATE_LIMITED while another importer and the owner are served", async () => {
    for (let i = 0; i < 4; i++) expect((await getPage(w.strangerNc, "limited")).code).toBe(200);
    expect(await getPage(w.strangerNc, "limited")).toMatchObject({
      code: 429,
      data: null,
      error_code: "CATALOG_RATE_LIMITED",
    });
    expect((await getPage(w.friendNc, "limited")).code).toBe(200);
    expect((await getPage(w.ownerNc, "limited")).code).toBe(200);
  });

  it("given an importer over its download limit, then its next download is refused while another importer's downloads complete", async () => {
    for (let i = 0; i < 2; i++)
      expect(
        (await downloadFile({ nc: w.strangerNc, catalog: "limited", hash: sha256("alpha"), sink: memorySink() })).bytes,
      ).toBe(5);
    await expect(
      downloadFile({ nc: w.strangerNc, catalog: "limited", hash: sha256("alpha"), sink: memorySink() }),
    ).rejects.toMatchObject({ code: "CATALOG_RATE_LIMITED" });
    const sink = memorySink();
    await downloadFile({ nc: w.friendNc, catalog: "limited", hash: sha256("bravo"), sink });
    expect(new TextDecoder().decode(sink.bytes())).toBe("bravo");
  });

  it("given an importer at its concurrent downloads, then one more is refused until one ends, and others are served meanwhile", async () => {
    const held = await openTransfer({
      nc: w.strangerNc,
      catalog: "held",
      hash: sha256(big),
      window: 1,
      chunkSize: 16 * 1024,
    });
    const chunks = held[Symbol.asyncIterator]();
    await chunks.next();
    await expect(
      openTransfer({ nc: w.strangerNc, catalog: "held", hash: sha256(big), window: 1 }),
    ).rejects.toMatchObject({ code: "CATALOG_RATE_LIMITED" });
    const friendSink = memorySink();
    await downloadFile({ nc: w.friendNc, catalog: "held", hash: sha256(big), sink: friendSink });
    expect(sha256(friendSink.bytes())).toBe(sha256(big));
    held.cancel();
    await until(
      () =>
        openTransfer({ nc: w.strangerNc, catalog: "held", hash: sha256(big), window: 1 }).then(
          (t) => (t.cancel(), true),
          () => false,
        ),
      "the stranger's next download once the held one ended",
      30_000,
    );
  });
});
