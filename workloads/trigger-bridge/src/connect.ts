import { createPrivateKey, sign, type KeyObject } from "node:crypto";
import type { Authenticator, NatsConnection } from "@nats-io/nats-core";
import { Codec } from "@nats-io/nkeys/lib/codec.js";
import { connect } from "@nats-io/transport-node";
import { connectFromWorkloadEnv, workloadServers } from "@natster/node-kit";

type Env = Record<string, string | undefined>;

/** The DER head of a PKCS#8 Ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");

/** The user's public key: the subject of its JWT. */
function subjectOf(jwt: string): string {
  const claims = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as { sub?: unknown };
  if (typeof claims.sub !== "string") throw new Error("the workload's JWT names no subject");
  return claims.sub;
}

/**
 * A JWT authenticator that signs the server's nonce with node:crypto's Ed25519 (the same
 * signature as nats.js's, which derives the key and signs in pure JavaScript: about 0.1 s of CPU at
 * every start, before a replay's first event).
 */
export function nodeJwtAuthenticator(jwt: string, seed: string): Authenticator {
  const raw = Codec.decodeSeed(new TextEncoder().encode(seed)).buf;
  const key: KeyObject = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, raw]), format: "der", type: "pkcs8" });
  const nkey = subjectOf(jwt);
  return (nonce?: string) => ({ jwt, nkey, sig: nonce ? sign(null, Buffer.from(nonce), key).toString("base64") : "" });
}

/** connectFromWorkloadEnv (the same variables and order), signing with node:crypto when the workload has a JWT and seed. */
export function connectBridge(env: Env, name: string): Promise<NatsConnection> {
  const seed = env.NEX_WORKLOAD_NATS_NKEY || env.NEX_HOSTSERVICES_NATS_USER_SEED;
  const b64Jwt = env.NEX_WORKLOAD_NATS_B64_JWT;
  const jwt = b64Jwt ? Buffer.from(b64Jwt, "base64").toString("utf8") : env.NEX_HOSTSERVICES_NATS_USER_JWT;
  if (!seed || !jwt) return connectFromWorkloadEnv(env, name);
  const authenticator = nodeJwtAuthenticator(jwt, seed);
  return connect({ servers: workloadServers(env), authenticator, name, maxReconnectAttempts: -1 });
}
