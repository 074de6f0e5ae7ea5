import { jwtAuthenticator, nkeyAuthenticator, type NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import type { HostServicesConnection } from "./control/types.ts";
import type { WorkloadIdentity } from "./native/env.ts";

const enc = new TextEncoder();

/** The JWT and seed of a `.creds` file. */
export function parseCreds(creds: string): { jwt: string; seed: string } {
  // Not `[^\s-]`: a JWT is base64url and may contain "-".
  const jwt = /-----BEGIN NATS USER JWT-----\s*(\S+)\s*------END/.exec(creds)?.[1];
  const seed = /-----BEGIN USER NKEY SEED-----\s*(\S+)\s*------END/.exec(creds)?.[1];
  if (!jwt || !seed) throw new Error("not a NATS creds file");
  return { jwt, seed };
}

/**
 * Who a workload connects as (workload_mgr.go:645-707): the deploy request's host services
 * override, else the node config's `host_services_config.nats`, else the node's own user.
 */
export function resolveWorkloadIdentity(
  override: HostServicesConnection | undefined,
  configured: { url: string; jwt: string; seed: string } | undefined,
  node: WorkloadIdentity | undefined,
): WorkloadIdentity | undefined {
  if (override?.nats_url)
    return {
      servers: override.nats_url,
      jwt: override.nats_user_jwt || undefined,
      seed: override.nats_user_seed || undefined,
    };
  if (configured)
    return { servers: configured.url, jwt: configured.jwt || undefined, seed: configured.seed || undefined };
  return node;
}

/** A workload's own connection, used for its triggers and host services. */
export function connectAs(identity: WorkloadIdentity, name: string): Promise<NatsConnection> {
  const seed = identity.seed ? enc.encode(identity.seed) : undefined;
  const authenticator = seed
    ? identity.jwt
      ? jwtAuthenticator(identity.jwt, seed)
      : nkeyAuthenticator(seed)
    : undefined;
  return connect({
    servers: identity.servers.split(",").map((s) => s.trim()),
    authenticator,
    name,
    maxReconnectAttempts: -1,
    // No stack captured per request: a host call's failure reaches the function as the host's
    // own error string, and the capture cost ≈ 45 µs of the node's CPU on every KV read.
    noAsyncTraces: true,
  });
}
