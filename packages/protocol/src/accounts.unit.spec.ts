import { createAccount } from "@nats-io/nkeys";
import { describe, expect, it } from "vitest";
import {
  addCatalogImport,
  catalogImports,
  checkExports,
  checkLimits,
  classifyImport,
  globalImports,
  userExports,
} from "./accounts.ts";
import { NatsterError, type ErrorCode } from "./errors.ts";

const me = createAccount().getPublicKey();
const global = createAccount().getPublicKey();
const owner = createAccount().getPublicKey();

const codeOf = (f: () => unknown): ErrorCode | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof NatsterError ? e.code : undefined;
  }
};

describe("the user account template", () => {
  it("given the global imports, then they classify as no catalog", () => {
    for (const imp of globalImports(me, global)) expect(classifyImport(me, global, imp)).toBeUndefined();
  });

  it("given a catalog import pair, then both halves name the same catalog, lower-cased", () => {
    const [service, stream] = catalogImports(me, { catalog: "Movies", from: owner });
    expect(service?.subject).toBe(`${me}.natster.catalog.movies.>`);
    expect(stream?.local_subject).toBe("natster.media.movies.*");
    expect(classifyImport(me, global, service!)).toEqual({ catalog: "movies", from: owner });
    expect(classifyImport(me, global, stream!)).toEqual({ catalog: "movies", from: owner });
  });

  it("when an import names another account in token 1, then AUTH_IMPORT_TOKEN", () => {
    const victim = createAccount().getPublicKey();
    const [service] = catalogImports(victim, { catalog: "movies", from: owner });
    expect(codeOf(() => classifyImport(me, global, service!))).toBe("AUTH_IMPORT_TOKEN");
    const [g] = globalImports(victim, global);
    expect(codeOf(() => classifyImport(me, global, g!))).toBe("AUTH_IMPORT_TOKEN");
  });

  it("when an import grabs a wildcard, then AUTH_WILDCARD_IMPORT", () => {
    const grab = { name: "x", type: "service" as const, account: owner, subject: `${me}.natster.catalog.*.>` };
    expect(codeOf(() => classifyImport(me, global, grab))).toBe("AUTH_WILDCARD_IMPORT");
  });

  it("when an import leaves the template (local subject, name, self, foreign subject), then AUTH_FOREIGN_IMPORT", () => {
    const [service] = catalogImports(me, { catalog: "movies", from: owner });
    expect(codeOf(() => classifyImport(me, global, { ...service!, local_subject: ">" }))).toBe("AUTH_FOREIGN_IMPORT");
    expect(codeOf(() => classifyImport(me, global, { ...service!, name: "sneaky" }))).toBe("AUTH_FOREIGN_IMPORT");
    expect(codeOf(() => classifyImport(me, global, { ...service!, account: me }))).toBe("AUTH_FOREIGN_IMPORT");
    expect(codeOf(() => classifyImport(me, global, { ...service!, subject: "$SYS.REQ.>" }))).toBe(
      "AUTH_FOREIGN_IMPORT",
    );
  });

  it("when the catalog name has other characters, then BAD_CATALOG_NAME", () => {
    const imp = {
      name: "natster_a_b",
      type: "service" as const,
      account: owner,
      subject: `${me}.natster.catalog.a_b.>`,
    };
    expect(codeOf(() => classifyImport(me, global, imp))).toBe("BAD_CATALOG_NAME");
  });

  it("exports: the two Natster exports pass, anything else is AUTH_FOREIGN_EXPORT", () => {
    expect(() => checkExports(userExports())).not.toThrow();
    expect(codeOf(() => checkExports([{ name: "all", subject: ">", type: "service" }]))).toBe("AUTH_FOREIGN_EXPORT");
    const [catalog] = userExports();
    expect(codeOf(() => checkExports([{ ...catalog!, account_token_position: 0 }]))).toBe("AUTH_FOREIGN_EXPORT");
  });

  it("limits: lower is fine, higher or unlimited is AUTH_LIMITS_RAISED", () => {
    expect(() => checkLimits({ conn: 1, payload: 1024 })).not.toThrow();
    expect(codeOf(() => checkLimits({ conn: 65 }))).toBe("AUTH_LIMITS_RAISED");
    expect(codeOf(() => checkLimits({ conn: -1 }))).toBe("AUTH_LIMITS_RAISED");
    expect(codeOf(() => checkLimits({ leaf: 1 }))).toBe("AUTH_LIMITS_RAISED");
    expect(codeOf(() => checkLimits({ bogus: 1 } as never))).toBe("AUTH_LIMITS_RAISED");
  });

  it("a catalog name imported from one account cannot be imported from another", () => {
    const other = createAccount().getPublicKey();
    const set = addCatalogImport([], { catalog: "movies", from: owner });
    expect(addCatalogImport(set, { catalog: "movies", from: owner })).toEqual(set);
    expect(codeOf(() => addCatalogImport(set, { catalog: "movies", from: other }))).toBe("AUTH_IMPORT_CONFLICT");
  });
});
