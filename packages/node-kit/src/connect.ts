import { credsAuthenticator, nkeyAuthenticator, type NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { nodeJwtAuthenticator } from "./node-jwt-authenticator.ts";

type Env = Record<string, string | undefined>;

/**
 * Connects to any of `servers` (a list, or one string with comma-separated URLs as the nats CLI
 * and NATS_URL take them) and reconnects to any of them without limit: a client of a cluster
 * fails over by itself.
 */
export function connectWithCreds(servers: string | string[], creds: Uint8Array, name: string): Promise<NatsConnection> {
  return connect({
    servers: serverList(servers),
    authenticator: credsAuthenticator(creds),
    name,
    maxReconnectAttempts: -1,
  });
}

/** `"nats://a:4222,nats://b:4232"` or a list of such strings, as one list of URLs. */
export const serverList = (servers: string | string[]): string[] =>
  [servers]
    .flat()
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/**
 * Connects the way a Nex native workload must: v1 names first (NEX_WORKLOAD_NATS_SERVERS,
 * _NKEY seed, _B64_JWT), then 0.x's NATS_URL / NEX_HOSTSERVICES_NATS_*, then localhost.
 */
export function connectFromWorkloadEnv(env: Env, name: string): Promise<NatsConnection> {
  const servers = workloadServers(env);
  const seed = env.NEX_WORKLOAD_NATS_NKEY || env.NEX_HOSTSERVICES_NATS_USER_SEED;
  const b64Jwt = env.NEX_WORKLOAD_NATS_B64_JWT;
  const jwt = b64Jwt ? Buffer.from(b64Jwt, "base64").toString("utf8") : env.NEX_HOSTSERVICES_NATS_USER_JWT;
  const authenticator = seed
    ? jwt
      ? nodeJwtAuthenticator(jwt, seed)
      : nkeyAuthenticator(new TextEncoder().encode(seed))
    : undefined;
  return connect({ servers, authenticator, name, maxReconnectAttempts: -1 });
}

/** The NATS servers a native workload connects to: real Nex 0.x gives only NEX_HOSTSERVICES_NATS_SERVER. */
export function workloadServers(env: Env): string[] {
  return serverList(
    env.NEX_WORKLOAD_NATS_SERVERS || env.NATS_URL || env.NEX_HOSTSERVICES_NATS_SERVER || "nats://127.0.0.1:4222",
  );
}

/** The Nex workload environment for a user given by creds (what a node hands a native workload). */
export function workloadEnvFromCreds(servers: string, creds: string): Record<string, string> {
  const { jwt, seed } = parseCredsText(creds);
  return {
    NEX_WORKLOAD_NATS_SERVERS: servers,
    NEX_WORKLOAD_NATS_NKEY: seed,
    NEX_WORKLOAD_NATS_B64_JWT: Buffer.from(jwt, "utf8").toString("base64"),
  };
}

/** The user JWT and seed inside a creds file. */
export function parseCredsText(creds: string): { jwt: string; seed: string } {
  const jwt = /-----BEGIN NATS USER JWT-----\s*(\S+)\s*------END/.exec(creds)?.[1];
  const seed = /-----BEGIN USER NKEY SEED-----\s*(\S+)\s*------END/.exec(creds)?.[1];
  if (!jwt || !seed) throw new Error("not a NATS creds file");
  return { jwt, seed };
}
