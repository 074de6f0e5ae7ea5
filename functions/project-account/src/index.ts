import { STATS_KEY, Stores, type AccountProjection, type StatsProjection } from "@natster/protocol";
import { kvJson } from "nex-fn";
import { defineProjection } from "../../_lib/src/projection.ts";
import { planAccountWrites, touchesTarget } from "./core.ts";

export default defineProjection((event) => {
  const accounts = kvJson(Stores.accountProjection);
  const stats = kvJson(Stores.statsProjection);
  const writes = planAccountWrites(event, {
    from: accounts.get<AccountProjection>(event.from),
    to: touchesTarget(event) ? accounts.get<AccountProjection>(event.to) : undefined,
    stats: stats.get<StatsProjection>(STATS_KEY),
  });
  for (const write of writes) kvJson(write.bucket).put(write.key, write.value);
});
