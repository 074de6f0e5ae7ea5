import { decode, type Account } from "@nats-io/jwt";
import { Svcm } from "@nats-io/services";
import { createAccount } from "@nats-io/nkeys";
import { catalogImports } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { createTestUser, withAuthority } from "../support/authority.ts";
import { startTestStack } from "../support/test-stack.ts";
import { suiteStack } from "../support/suite-stack.ts";
import { expectCode } from "../support/expect-code.ts";

const enc = new TextEncoder();

describe("account authority", () => {
  const suite = suiteStack(startTestStack, async (stack) => ({
    ...(await withAuthority(stack)),
    pub: await stack.connect("public", "public-raw"),
  }));

  it("is a micro service visible through $SRV", async () => {
    // The authority serves in the global account; the public account reaches it through an import.
    const client = new Svcm(await suite.stack.connect("global", "srv-browser")).client();
    const infos = [];
    for await (const info of await client.info("natster-authority")) infos.push(info);
    expect(infos).toHaveLength(1);
    expect(infos[0]?.endpoints.map((e) => e.subject).sort()).toEqual([
      "natster.authority.account.create",
      "natster.authority.imports.add",
      "natster.authority.imports.remove",
      "natster.authority.nonce",
      "natster.authority.user.logout",
      "natster.authority.users.revoke",
    ]);
  });

  it("given a locally generated account key, when it asks to be created, then a user it minted itself connects", async () => {
    const alice = await createTestUser(suite.stack, suite.authority, "alice");
    const claims = decode<Account>(alice.reply.jwt);
    expect(claims.sub).toBe(alice.account.getPublicKey());
    expect(claims.iss).toBe(suite.stack.identity.operator.signing_key);
    expect(claims.nats.exports?.map((e) => [e.subject, e.type, e.account_token_position])).toEqual([
      ["*.natster.catalog.>", "service", 1],
      ["*.natster.media.*.*", "stream", 1],
    ]);
    expect(claims.nats.imports?.map((i) => i.name)).toEqual(["natster_global", "natster_global_events"]);
    const nc = await alice.connect();
    const info = nc.info;
    expect(info?.server_name).toBe("natster");
    const rtt = await nc.rtt();
    expect(rtt).toBeGreaterThanOrEqual(0);
  });

  it("creating the same account twice is idempotent", async () => {
    const account = createAccount();
    const signing = createAccount().getPublicKey();
    const first = await suite.authority.createAccount(account, { name: "twice", signing_keys: [signing] });
    const second = await suite.authority.createAccount(account, { name: "twice", signing_keys: [signing] });
    expect(first.changed).toBe(true);
    expect(second.changed).toBe(false);
    expect(second.jwt).toBe(first.jwt);
  });

  it("refuses a request signed by a different key than the account it names", async () => {
    const victim = createAccount();
    const forger = createAccount();
    const nonce = await suite.authority.nonce();
    const { signRequest } = await import("@natster/protocol");
    const body = signRequest(
      {
        op: "account.create",
        account: victim.getPublicKey(),
        nonce,
        name: "forged",
        signing_keys: [createAccount().getPublicKey()],
      },
      (d) => forger.sign(d),
    );
    const reply = await suite.pub.request("natster.authority.account.create", enc.encode(JSON.stringify(body)));
    expect(JSON.parse(new TextDecoder().decode(reply.data))).toMatchObject({
      code: 401,
      error_code: "AUTH_BAD_SIGNATURE",
      data: null,
    });
  });

  it("refuses unsigned and malformed requests with stable codes", async () => {
    const ask = async (data: Uint8Array) =>
      JSON.parse(
        new TextDecoder().decode((await suite.pub.request("natster.authority.account.create", data)).data),
      ) as { error_code: string };
    expect((await ask(enc.encode("not json"))).error_code).toBe("BAD_JSON");
    expect((await ask(enc.encode(JSON.stringify({ payload: "e30" })))).error_code).toBe("BAD_REQUEST");
    expect((await ask(new Uint8Array(70_000))).error_code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("refuses a replayed nonce", async () => {
    const account = createAccount();
    const nonce = await suite.authority.nonce();
    const { signRequest } = await import("@natster/protocol");
    const body = enc.encode(
      JSON.stringify(
        signRequest(
          {
            op: "account.create",
            account: account.getPublicKey(),
            nonce,
            name: "replay",
            signing_keys: [createAccount().getPublicKey()],
          },
          (d) => account.sign(d),
        ),
      ),
    );
    const first = JSON.parse(
      new TextDecoder().decode(
        (await suite.pub.request("natster.authority.account.create", body, { timeout: 10_000 })).data,
      ),
    ) as { code: number };
    const replay = JSON.parse(
      new TextDecoder().decode((await suite.pub.request("natster.authority.account.create", body)).data),
    ) as {
      error_code: string;
    };
    expect(first.code).toBe(200);
    expect(replay.error_code).toBe("AUTH_NONCE_UNKNOWN");
  });

  describe("template violations", () => {
    const base = () => ({ name: "bad", signing_keys: [createAccount().getPublicKey()] });

    it("refuses a foreign export", () =>
      expectCode(
        suite.authority.createAccount(createAccount(), {
          ...base(),
          exports: [{ name: "steal", subject: ">", type: "service" }],
        }),
        "AUTH_FOREIGN_EXPORT",
      ));

    it("refuses raised limits", () =>
      expectCode(
        suite.authority.createAccount(createAccount(), { ...base(), limits: { conn: 100_000 } }),
        "AUTH_LIMITS_RAISED",
      ));

    it("refuses the account key as its own signing key, and stack accounts", async () => {
      const account = createAccount();
      await expectCode(
        suite.authority.createAccount(account, { name: "x", signing_keys: [account.getPublicKey()] }),
        "AUTH_BAD_SIGNING_KEY",
      );
    });

    it("refuses an import naming another account's key in the token position", async () => {
      const owner = await createTestUser(suite.stack, suite.authority, "owner");
      const victim = createAccount().getPublicKey();
      const attacker = await createTestUser(suite.stack, suite.authority, "attacker");
      const forged = catalogImports(victim, { catalog: "movies", from: owner.account.getPublicKey() });
      await expectCode(suite.authority.addImports(attacker.account, forged), "AUTH_IMPORT_TOKEN");
    });

    it("refuses wildcard grabs", async () => {
      const owner = await createTestUser(suite.stack, suite.authority, "owner2");
      const attacker = await createTestUser(suite.stack, suite.authority, "attacker2");
      const me = attacker.account.getPublicKey();
      await expectCode(
        suite.authority.addImports(attacker.account, [
          {
            name: "all",
            type: "service",
            account: owner.account.getPublicKey(),
            subject: `${me}.natster.catalog.*.>`,
            local_subject: "natster.catalog.*.>",
          },
        ]),
        "AUTH_WILDCARD_IMPORT",
      );
      await expectCode(
        suite.authority.addImports(attacker.account, [
          { name: "all", type: "service", account: owner.account.getPublicKey(), subject: `*.natster.catalog.x.>` },
        ]),
        "AUTH_WILDCARD_IMPORT",
      );
    });

    it("refuses imports outside the template", async () => {
      const owner = await createTestUser(suite.stack, suite.authority, "owner3");
      const user = await createTestUser(suite.stack, suite.authority, "user3");
      await expectCode(
        suite.authority.addImports(user.account, [
          { name: "sys", type: "service", account: owner.account.getPublicKey(), subject: "$SYS.REQ.>" },
        ]),
        "AUTH_FOREIGN_IMPORT",
      );
    });

    it("refuses imports for an account that does not exist", () =>
      expectCode(
        suite.authority.importCatalog(createAccount(), { catalog: "movies", from: createAccount().getPublicKey() }),
        "NOT_FOUND",
      ));
  });

  it("adds and removes a catalog import, idempotently", async () => {
    const owner = await createTestUser(suite.stack, suite.authority, "bob");
    const user = await createTestUser(suite.stack, suite.authority, "carol");
    const wanted = { catalog: "movies", from: owner.account.getPublicKey() };
    const added = await suite.authority.importCatalog(user.account, wanted);
    expect(added.catalogs).toEqual([wanted]);
    expect(decode<Account>(added.jwt).nats.imports?.map((i) => i.name)).toContain("natster_movies_media");
    const again = await suite.authority.importCatalog(user.account, wanted);
    expect(again.changed).toBe(false);
    const other = await createTestUser(suite.stack, suite.authority, "dave");
    await expectCode(
      suite.authority.importCatalog(user.account, { catalog: "movies", from: other.account.getPublicKey() }),
      "AUTH_IMPORT_CONFLICT",
    );
    const removed = await suite.authority.removeImport(user.account, "Movies");
    expect(removed.catalogs).toEqual([]);
  });

  it("public users cannot serve the authority's subjects", async () => {
    const errors: string[] = [];
    const nc = await suite.stack.connect("public", "impostor");
    void (async () => {
      for await (const s of nc.status()) if (s.type === "error") errors.push(String(s.error));
    })();
    const sub = nc.subscribe("natster.authority.nonce");
    await nc.flush();
    const closed = await Promise.race([
      sub.closed.then(() => "closed"),
      new Promise((r) => setTimeout(() => r("open"), 2000)),
    ]);
    expect(closed).toBe("closed");
  });
});
