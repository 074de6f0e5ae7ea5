import { isAccountKey } from "@natster/protocol";

type Env = Record<string, string | undefined>;

/**
 * The catalog owner's account key: NATSTER_ACCOUNT, else the `issuer_account` of the workload's
 * user JWT (Nex env), else the JWT's issuer when that is the account itself.
 */
export function ownerAccountFromEnv(env: Env): string | undefined {
  if (env.NATSTER_ACCOUNT) return env.NATSTER_ACCOUNT;
  const jwt = env.NEX_WORKLOAD_NATS_B64_JWT
    ? Buffer.from(env.NEX_WORKLOAD_NATS_B64_JWT, "base64").toString("utf8")
    : env.NEX_HOSTSERVICES_NATS_USER_JWT;
  return jwt ? accountOfUserJwt(jwt) : undefined;
}

export function accountOfUserJwt(jwt: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      iss?: unknown;
      nats?: { issuer_account?: unknown };
    };
    const candidate = claims.nats?.issuer_account ?? claims.iss;
    return isAccountKey(candidate) ? candidate : undefined;
  } catch {
    return undefined;
  }
}
