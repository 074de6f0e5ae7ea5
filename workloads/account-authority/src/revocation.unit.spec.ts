import { encodeUser } from "@nats-io/jwt";
import { createAccount, createUser, fromPublic } from "@nats-io/nkeys";
import { MAX_REVOCATIONS, NatsterError, REVOCATION_KEEP_SECONDS, USER_LIMITS, type ErrorCode } from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { NonceBook } from "./nonces.ts";
import { planRevoke, type AccountPlan } from "./plan.ts";
import { requestSource, UNATTRIBUTED } from "./request-source.ts";
import { readBrowserUser } from "./user-jwt.ts";

const verify = (key: string, data: Uint8Array, sig: Uint8Array) => fromPublic(key).verify(data, sig);
const plan = (revocations: Record<string, number> = {}): AccountPlan => ({
  name: "a",
  signing_keys: [],
  catalogs: [],
  limits: USER_LIMITS,
  revocations,
});

const codeOf = async (f: () => unknown): Promise<ErrorCode | undefined> => {
  try {
    await f();
    return undefined;
  } catch (e) {
    return e instanceof NatsterError ? e.code : undefined;
  }
};

describe("planRevoke", () => {
  it("given new user keys, then each is revoked as of now; a key revoked before keeps its time", () => {
    expect(planRevoke(plan({ UOLD: 50 }), ["UNEW", "UOLD"], 100).revocations).toEqual({ UOLD: 50, UNEW: 100 });
  });

  it("given revocations older than any login can live, then they are dropped", () => {
    const now = 10 * REVOCATION_KEEP_SECONDS;
    expect(
      planRevoke(plan({ UDEAD: now - REVOCATION_KEEP_SECONDS - 1, ULIVE: now - 10 }), ["UNEW"], now).revocations,
    ).toEqual({ ULIVE: now - 10, UNEW: now });
  });

  it("given the account already holds the most live revocations, then one more is refused", async () => {
    const full = Object.fromEntries(Array.from({ length: MAX_REVOCATIONS }, (_, i) => [`U${i}`, 100]));
    expect(await codeOf(() => planRevoke(plan(full), ["UONE_MORE"], 100))).toBe("AUTH_TOO_MANY_REVOCATIONS");
  });
});

describe("readBrowserUser", () => {
  const account = createAccount();
  const signing = createAccount();
  const mint = (exp?: number, issuer = signing) =>
    encodeUser("b", createUser(), issuer, { issuer_account: account.getPublicKey() }, exp ? { exp } : {});

  it("given a login signed by a signing key, then its user, account and issuer", async () => {
    const user = readBrowserUser(await mint(Math.floor(Date.now() / 1000) + 3600), verify);
    expect(user.account).toBe(account.getPublicKey());
    expect(user.issuer).toBe(signing.getPublicKey());
  });

  it("given a JWT without an expiry, one longer than a login, garbage or a bad signature, then AUTH_BAD_USER_JWT", async () => {
    const tampered = (await mint(Math.floor(Date.now() / 1000) + 60)).replace(/\.[^.]+$/, ".AAAA");
    for (const jwt of [
      await mint(),
      await mint(Math.floor(Date.now() / 1000) + 30 * 86400),
      "a.b.c",
      "x",
      42,
      tampered,
    ]) {
      expect(await codeOf(() => readBrowserUser(jwt, verify))).toBe("AUTH_BAD_USER_JWT");
    }
  });
});

describe("requestSource", () => {
  it("given the server's client info, then the connection and source address", () => {
    expect(requestSource('{"host":"10.0.0.7","id":42,"server":"n1","acc":"A"}')).toEqual({
      connection: "n1#42",
      source: "10.0.0.7",
    });
  });

  it("given no header or a broken one, then the shared unattributed bucket", () => {
    expect(requestSource(undefined)).toEqual(UNATTRIBUTED);
    expect(requestSource("{not json")).toEqual(UNATTRIBUTED);
    expect(requestSource('{"acc":"A"}')).toEqual(UNATTRIBUTED);
  });
});

describe("nonce book under a flood", () => {
  it("given one source at its share of unused nonces, then it is refused, other sources still get nonces and no issued nonce is dropped", async () => {
    const book = new NonceBook(60_000, Date.now, undefined, 100, 3);
    const victim = book.issue("victim");
    for (let i = 0; i < 3; i++) book.issue("flooder");
    expect(await codeOf(() => book.issue("flooder"))).toBe("NONCE_RATE_LIMITED");
    expect(book.issue("other")).toBeTypeOf("string");
    expect(book.consume(victim)).toBe(true);
  });

  it("given a full book, then new nonces are refused with NONCE_BOOK_FULL and every issued one still works", async () => {
    const book = new NonceBook(60_000, Date.now, undefined, 4, 4);
    const issued = ["a", "b", "c", "d"].map((s) => book.issue(s));
    expect(await codeOf(() => book.issue("e"))).toBe("NONCE_BOOK_FULL");
    expect(issued.map((n) => book.consume(n))).toEqual([true, true, true, true]);
    expect(book.issue("e")).toBeTypeOf("string");
  });

  it("given expired nonces, then they make room and their source's share comes back", () => {
    let now = 0;
    const book = new NonceBook(100, () => now, undefined, 10, 1);
    book.issue("s");
    now = 200;
    expect(book.issue("s")).toBeTypeOf("string");
    expect(book.size).toBe(1);
  });
});
