import { jwtAuthenticator } from "@nats-io/nats-core";
import { createUser, fromSeed } from "@nats-io/nkeys";
import { describe, expect, it } from "vitest";
import { nodeJwtAuthenticator } from "./node-jwt-authenticator.ts";

const enc = new TextEncoder();
type Auth = { jwt?: string; nkey?: string; sig?: string };

describe("nodeJwtAuthenticator", () => {
  it("given a user's seed and JWT, when it signs a nonce, then it answers exactly what nats.js does, and the signature verifies", () => {
    const user = createUser();
    const seed = new TextDecoder().decode(user.getSeed());
    const jwt = `e30.${Buffer.from(JSON.stringify({ sub: user.getPublicKey() })).toString("base64url")}.sig`;
    const ours = nodeJwtAuthenticator(jwt, seed)("a-nonce") as Auth;
    expect(ours).toEqual(jwtAuthenticator(jwt, enc.encode(seed))("a-nonce"));
    expect(ours.nkey).toBe(user.getPublicKey());
    expect(fromSeed(enc.encode(seed)).verify(enc.encode("a-nonce"), Buffer.from(ours.sig ?? "", "base64"))).toBe(true);
  });

  it("given a JWT without a subject, then it is refused at once", () => {
    const seed = new TextDecoder().decode(createUser().getSeed());
    expect(() => nodeJwtAuthenticator(`e30.${Buffer.from("{}").toString("base64url")}.sig`, seed)).toThrow(/subject/);
  });
});
