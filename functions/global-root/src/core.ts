import type { AccountProjection, StatsProjection, StatsReply, WhoamiReply } from "@natster/protocol";
import { reject } from "../../_lib/src/rejection.ts";

/** `stats` from projections only: never a scan of the log. */
export function statsReply(stats: StatsProjection | undefined, onlineCatalogs: number): StatsReply {
  return {
    total_initialized: stats?.total_initialized ?? 0,
    running_catalogs: onlineCatalogs,
    share_count: stats?.share_count ?? 0,
  };
}

/** `whoami`: 404 until the account is initialized, as upstream (the CLI reads that as "not initialized"). */
export function whoamiReply(
  caller: string,
  initializedAt: number,
  account: AccountProjection | undefined,
): WhoamiReply {
  if (initializedAt <= 0) reject("NOT_FOUND", "this account is not initialized; run `natster init`");
  return { account_key: caller, initialized: initializedAt, bound: account?.bound_context !== undefined };
}
