import type { NatsConnection } from "@nats-io/nats-core";
import { lookupAccountJwt, pushAccountJwt } from "@natster/node-kit";
import type { StackIdentity } from "@natster/identity";

/** Makes sure the resolver knows every base account (idempotent; run on every start). */
export async function pushBaseAccounts(sys: NatsConnection, identity: StackIdentity): Promise<void> {
  for (const [name, account] of Object.entries(identity.accounts)) {
    if (name === "SYS") continue;
    const current = await lookupAccountJwt(sys, account.public_key);
    if (current !== account.jwt) await pushAccountJwt(sys, account.jwt);
  }
}
