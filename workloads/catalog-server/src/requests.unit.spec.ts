import { createAccount, createUser } from "@nats-io/nkeys";
import { describe, expect, it } from "vitest";
import type { CatalogFile } from "@natster/catalog";
import { accountOfUserJwt, ownerAccountFromEnv } from "@natster/node-kit";
import { handleGet } from "./handle-get.ts";
import { NatsterError } from "@natster/protocol";
import { handleLocalService } from "@natster/sharing";

const enc = new TextEncoder();
const catalog: CatalogFile = {
  name: "movies",
  root_dir: "/r",
  description: "d",
  last_modified: 7,
  entries: Array.from({ length: 50 }, (_, i) => ({
    path: `/f${i}`,
    description: "x".repeat(100),
    mime_type: "video/mp4",
    byte_size: i,
    hash: "h".repeat(64),
  })),
  x_index: {},
};
const fakeJwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

describe("request plumbing", () => {
  it("given a get whose page would exceed the max payload, then 413 PAYLOAD_TOO_LARGE", () => {
    expect(handleGet(catalog, enc.encode('{"page_size":50}'), 2000).envelope).toMatchObject({
      code: 413,
      error_code: "PAYLOAD_TOO_LARGE",
    });
    expect(handleGet(catalog, enc.encode('{"page_size":5}'), 2000).envelope).toMatchObject({
      code: 200,
      data: { total_entries: 50, pages: 10 },
    });
    expect(handleGet(catalog, enc.encode("nope"), 2000).envelope).toMatchObject({ code: 400, error_code: "BAD_JSON" });
  });

  it("given an unknown local verb, then UNKNOWN_VERB; given my.shares failing, then INTERNAL", async () => {
    const importCatalog = () => Promise.reject(new NatsterError("NOT_FOUND", "no keys here"));
    const deps = { home: "/nowhere", contextName: "default", owner: "AOWNER", catalog: () => catalog, importCatalog };
    const fetchShares = () => Promise.reject(new Error("timeout"));
    expect(await handleLocalService("natster.local.nope", { ...deps, fetchShares })).toMatchObject({
      code: 404,
      error_code: "UNKNOWN_VERB",
    });
    expect(await handleLocalService("natster.local.inbox", { ...deps, fetchShares })).toMatchObject({
      code: 500,
      error_code: "INTERNAL",
    });
    const inbox = await handleLocalService("natster.local.inbox", { ...deps, fetchShares: () => Promise.resolve([]) });
    expect(inbox).toEqual({
      code: 200,
      data: { catalog: "movies", account_key: "AOWNER", revision: 7, unimported_shares: [], imports: [] },
    });
  });

  it("given the workload env, then the owner is NATSTER_ACCOUNT, else the user JWT's issuer_account", () => {
    const account = createAccount().getPublicKey();
    const jwt = fakeJwt({ iss: createAccount().getPublicKey(), nats: { issuer_account: account } });
    expect(ownerAccountFromEnv({ NATSTER_ACCOUNT: "AEXPLICIT", NEX_HOSTSERVICES_NATS_USER_JWT: jwt })).toBe(
      "AEXPLICIT",
    );
    expect(ownerAccountFromEnv({ NEX_WORKLOAD_NATS_B64_JWT: Buffer.from(jwt).toString("base64") })).toBe(account);
    expect(accountOfUserJwt(fakeJwt({ iss: account }))).toBe(account);
    expect(accountOfUserJwt(fakeJwt({ iss: createUser().getPublicKey() }))).toBeUndefined();
    expect(accountOfUserJwt("garbage")).toBeUndefined();
  });
});
