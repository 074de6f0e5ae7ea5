import type { HostServicesConnection } from "./types.ts";

/** The 0.x names a native workload reads its host-services connection from. */
const KEYS = {
  url: "NEX_HOSTSERVICES_NATS_SERVER",
  jwt: "NEX_HOSTSERVICES_NATS_USER_JWT",
  seed: "NEX_HOSTSERVICES_NATS_USER_SEED",
} as const;

/** The workload's connection as environment variables, to be sealed to the node's xkey. */
export function sealedHostServicesEnv(hs: HostServicesConnection): Record<string, string> {
  return { [KEYS.url]: hs.nats_url, [KEYS.jwt]: hs.nats_user_jwt, [KEYS.seed]: hs.nats_user_seed };
}

/** The connection a deployer sealed into the environment, if any (what the node connects the workload as). */
export function hostServicesFromEnv(env: Record<string, string>): HostServicesConnection | undefined {
  const url = env[KEYS.url];
  if (!url) return undefined;
  return { nats_url: url, nats_user_jwt: env[KEYS.jwt] ?? "", nats_user_seed: env[KEYS.seed] ?? "" };
}
