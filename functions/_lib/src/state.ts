import { CONFIG_KEY, NONE, Stores, type AccountProjection, type GlobalConfig } from "@natster/protocol";
import { kvJson } from "nex-fn";
import { eventSubject } from "./addresses.ts";
import { firstEventTime } from "./event-log.ts";

/** The stack's accounts, written to NATSTER_CONFIG at provisioning. */
export function loadConfig(): GlobalConfig {
  const config = kvJson(Stores.config).get<GlobalConfig>(CONFIG_KEY);
  if (!config) throw new Error(`the global service is not provisioned (${Stores.config}/${CONFIG_KEY} is missing)`);
  return config;
}

export const loadAccount = (account: string): AccountProjection | undefined =>
  kvJson(Stores.accountProjection).get<AccountProjection>(account);

/**
 * When the account was initialized (Unix seconds), 0 if never. The projection answers once it has
 * caught up; until then the log does, so `init` followed at once by another call is not refused.
 */
export function initializedAt(account: string, projection: AccountProjection | undefined): number {
  if (projection && projection.initialized_at > 0) return projection.initialized_at;
  const subject = eventSubject({ from: account, to: NONE, catalog: NONE, type: "natster_initialized" });
  return firstEventTime(subject) || 0;
}
