import { createAccount } from "@nats-io/nkeys";
import { describe, expect, it } from "vitest";
import { normalizeHash, sha256Hex } from "../artifacts/hash.ts";
import { createStopJwt, createWorkloadJwt, verifyWorkloadJwt } from "./workload-jwt.ts";

describe("workload JWTs", () => {
  it("given an issuer, when it signs a workload, then the claims carry id, name and hash", async () => {
    const issuer = createAccount();
    const claims = verifyWorkloadJwt(await createWorkloadJwt(issuer, "wid-1", "echo", "abc"));
    expect(claims).toMatchObject({ id: "wid-1", issuer: issuer.getPublicKey(), name: "echo", hash: "abc" });
  });

  it("given a stop JWT, when verified, then it names the same workload with a different token id", async () => {
    const issuer = createAccount();
    const start = verifyWorkloadJwt(await createWorkloadJwt(issuer, "wid-1", "echo", "abc"));
    const stop = verifyWorkloadJwt(await createStopJwt(issuer, "wid-1"));
    expect([stop.id, stop.issuer]).toEqual([start.id, start.issuer]);
    expect(stop.jti).not.toBe(start.jti);
  });

  it("given a tampered payload, when verified, then the signature check fails", async () => {
    const [h, , s] = (await createWorkloadJwt(createAccount(), "wid", "echo", "abc")).split(".");
    const forged = Buffer.from(JSON.stringify({ sub: "wid", iss: createAccount().getPublicKey(), nats: {} })).toString(
      "base64url",
    );
    expect(() => verifyWorkloadJwt(`${h}.${forged}.${s}`)).toThrow(/could not decode workload JWT/);
  });
});

describe("artifact hashes", () => {
  it("given hex or an object-store digest, when normalized, then both compare with the sha256", () => {
    const bytes = new TextEncoder().encode("(s, p) => 1;");
    const hex = sha256Hex(bytes);
    const digest = `SHA-256=${Buffer.from(hex, "hex").toString("base64url")}`;
    expect(normalizeHash(digest)).toBe(hex);
    expect(normalizeHash(hex.toUpperCase())).toBe(hex);
  });
});
