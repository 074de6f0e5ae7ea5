import { createAccount, fromPublic } from "@nats-io/nkeys";
import {
  catalogImports,
  NatsterError,
  signRequest,
  type AccountCreatePayload,
  type ErrorCode,
} from "@natster/protocol";
import { describe, expect, it } from "vitest";
import { NonceBook } from "./nonces.ts";
import { planCreate, planImportsAdd, planImportsRemove, samePlan, type AuthorityContext } from "./plan.ts";
import { openSignedRequest } from "./signed-request.ts";

const ctx: AuthorityContext = { globalAccount: createAccount().getPublicKey(), reserved: new Set() };
const enc = new TextEncoder();

const codeOf = (f: () => unknown): ErrorCode | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof NatsterError ? e.code : undefined;
  }
};

const createPayload = (account = createAccount().getPublicKey()): AccountCreatePayload => ({
  op: "account.create",
  account,
  nonce: "n",
  name: "alice",
  signing_keys: [createAccount().getPublicKey()],
});

describe("authority plan (pure decider)", () => {
  it("given a new account, when created, then it gets the template and no catalogs", () => {
    const plan = planCreate(createPayload(), ctx);
    expect(plan.catalogs).toEqual([]);
    expect(plan.limits.exports).toBe(2);
  });

  it("given an existing account with imports, when created again, then its catalogs are kept", () => {
    const p = createPayload();
    const owner = createAccount().getPublicKey();
    const before = planImportsAdd(
      {
        op: "imports.add",
        account: p.account,
        nonce: "n",
        imports: catalogImports(p.account, { catalog: "tv", from: owner }),
      },
      ctx,
      planCreate(p, ctx),
    );
    const again = planCreate(p, ctx, before);
    expect(again.catalogs).toEqual([{ catalog: "tv", from: owner }]);
    expect(samePlan(again, before)).toBe(true);
  });

  it("when a reserved account asks, then AUTH_RESERVED_ACCOUNT", () => {
    const p = createPayload();
    expect(codeOf(() => planCreate(p, { ...ctx, reserved: new Set([p.account]) }))).toBe("AUTH_RESERVED_ACCOUNT");
  });

  it("when the name, signing keys or imports are malformed, then stable codes", () => {
    expect(codeOf(() => planCreate({ ...createPayload(), name: "" }, ctx))).toBe("BAD_REQUEST");
    expect(codeOf(() => planCreate({ ...createPayload(), signing_keys: [] }, ctx))).toBe("AUTH_BAD_SIGNING_KEY");
    expect(codeOf(() => planCreate({ ...createPayload(), signing_keys: ["nope"] }, ctx))).toBe("AUTH_BAD_SIGNING_KEY");
    expect(codeOf(() => planCreate({ ...createPayload(), imports: "x" as never }, ctx))).toBe("BAD_REQUEST");
    expect(codeOf(() => planCreate({ ...createPayload(), limits: [] as never }, ctx))).toBe("BAD_REQUEST");
  });

  it("when a catalog import is removed by any case of its name, then it is gone", () => {
    const p = createPayload();
    const owner = createAccount().getPublicKey();
    const withTv = planImportsAdd(
      {
        op: "imports.add",
        account: p.account,
        nonce: "n",
        imports: catalogImports(p.account, { catalog: "tv", from: owner }),
      },
      ctx,
      planCreate(p, ctx),
    );
    expect(
      planImportsRemove({ op: "imports.remove", account: p.account, nonce: "n", catalog: "TV" }, withTv).catalogs,
    ).toEqual([]);
  });
});

describe("signed requests", () => {
  const verify = (account: string, data: Uint8Array, sig: Uint8Array) => fromPublic(account).verify(data, sig);
  const kp = createAccount();

  it("given a request signed by its own account key, then it opens", () => {
    const body = enc.encode(JSON.stringify(signRequest(createPayload(kp.getPublicKey()), (d) => kp.sign(d))));
    expect(openSignedRequest(body, "account.create", verify).account).toBe(kp.getPublicKey());
  });

  it("given a signature by another key, then AUTH_BAD_SIGNATURE", () => {
    const other = createAccount();
    const body = enc.encode(JSON.stringify(signRequest(createPayload(kp.getPublicKey()), (d) => other.sign(d))));
    expect(codeOf(() => openSignedRequest(body, "account.create", verify))).toBe("AUTH_BAD_SIGNATURE");
  });

  it("given the payload of another endpoint, then BAD_REQUEST (no cross-endpoint replay)", () => {
    const body = enc.encode(JSON.stringify(signRequest(createPayload(kp.getPublicKey()), (d) => kp.sign(d))));
    expect(codeOf(() => openSignedRequest(body, "imports.add", verify))).toBe("BAD_REQUEST");
  });

  it("given garbage, then BAD_JSON, BAD_REQUEST or PAYLOAD_TOO_LARGE", () => {
    expect(codeOf(() => openSignedRequest(enc.encode("{"), "account.create", verify))).toBe("BAD_JSON");
    expect(codeOf(() => openSignedRequest(enc.encode("null"), "account.create", verify))).toBe("BAD_REQUEST");
    expect(codeOf(() => openSignedRequest(enc.encode('{"payload":"!!","sig":""}'), "account.create", verify))).toBe(
      "BAD_REQUEST",
    );
    expect(codeOf(() => openSignedRequest(new Uint8Array(65 * 1024), "account.create", verify))).toBe(
      "PAYLOAD_TOO_LARGE",
    );
  });
});

describe("nonces", () => {
  it("given an issued nonce, then it is good exactly once", () => {
    const book = new NonceBook();
    const n = book.issue();
    expect(book.consume(n)).toBe(true);
    expect(book.consume(n)).toBe(false);
  });

  it("given time passes beyond the TTL, then the nonce is refused", () => {
    let now = 1000;
    const book = new NonceBook(100, () => now);
    const n = book.issue();
    now += 101;
    expect(book.consume(n)).toBe(false);
  });

  it("given a nonce that was never issued, then it is refused", () => {
    expect(new NonceBook().consume("made-up")).toBe(false);
  });
});
