import { describe, expect, it } from "vitest";
import { hasCredsShape, readUserClaims } from "./user-jwt.ts";

const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const creds = (claims: unknown) =>
  [
    "-----BEGIN NATS USER JWT-----",
    `${b64url({ typ: "JWT", alg: "ed25519-nkey" })}.${b64url(claims)}.c2ln`,
    "------END NATS USER JWT------",
    "",
    "-----BEGIN USER NKEY SEED-----",
    "SUAEXAMPLESEED",
    "------END USER NKEY SEED------",
  ].join("\n");

describe("readUserClaims", () => {
  it("given browser creds, then the issuing account, the expiry in ms and the name", () => {
    expect(readUserClaims(creds({ exp: 1700000000, name: "me-browser", nats: { issuer_account: "AACC" } }))).toEqual({
      account: "AACC",
      expiresAt: 1_700_000_000_000,
      name: "me-browser",
    });
    expect(hasCredsShape(creds({}))).toBe(true);
  });

  it("given garbage, then nothing", () => {
    expect(readUserClaims("not creds")).toBeUndefined();
    expect(hasCredsShape("-----BEGIN NATS USER JWT-----")).toBe(false);
  });
});
