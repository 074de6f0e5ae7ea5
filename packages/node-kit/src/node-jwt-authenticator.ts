import { createPrivateKey, sign, type KeyObject } from "node:crypto";
import type { Authenticator } from "@nats-io/nats-core";
import { Codec } from "@nats-io/nkeys/lib/codec.js";

/** The DER head of a PKCS#8 Ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");

/** The user's public key: the subject of its JWT. */
function subjectOf(jwt: string): string {
  const claims = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as { sub?: unknown };
  if (typeof claims.sub !== "string") throw new Error("the workload's JWT names no subject");
  return claims.sub;
}

/**
 * A JWT authenticator that signs the server's nonce with node:crypto's Ed25519: the same
 * signature as nats.js's jwtAuthenticator, which derives the key and signs in pure JavaScript
 * (about 0.1 s of CPU at every start; the trigger bridge's replay waited for it).
 */
export function nodeJwtAuthenticator(jwt: string, seed: string): Authenticator {
  const raw = Codec.decodeSeed(new TextEncoder().encode(seed)).buf;
  const key: KeyObject = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, raw]), format: "der", type: "pkcs8" });
  const nkey = subjectOf(jwt);
  return (nonce?: string) => ({ jwt, nkey, sig: nonce ? sign(null, Buffer.from(nonce), key).toString("base64") : "" });
}
