import { STATS_KEY, Stores, type AccountProjection, type StatsProjection } from "@natster/protocol";
import { kvJson } from "nex-fn";
import { defineProjection } from "../../_lib/src/projection.ts";
import { planAccountBatch } from "./core.ts";

export default defineProjection("account", (events) => {
  const accounts = kvJson(Stores.accountProjection);
  const writes = planAccountBatch(events, {
    account: (key) => accounts.get<AccountProjection>(key),
    stats: () => kvJson(Stores.statsProjection).get<StatsProjection>(STATS_KEY),
  });
  for (const write of writes) kvJson(write.bucket).put(write.key, write.value);
});
