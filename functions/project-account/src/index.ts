import { STATS_KEY, Stores, type AccountProjection, type StatsProjection } from "@natster/protocol";
import { kvJson } from "nex-fn";
import { writeKeys } from "../../_lib/src/kv-writes.ts";
import { defineProjection } from "../../_lib/src/projection.ts";
import { planAccountBatch } from "./core.ts";

export default defineProjection("account", (events) => {
  const accounts = kvJson(Stores.accountProjection);
  const writes = planAccountBatch(events, {
    account: (key) => accounts.get<AccountProjection>(key),
    stats: () => kvJson(Stores.statsProjection).get<StatsProjection>(STATS_KEY),
  });
  // Stats first: its change is judged from the accounts' previous state (see planAccountBatch).
  writeKeys(Stores.statsProjection, writes.filter((w) => w.bucket === Stores.statsProjection));
  writeKeys(Stores.accountProjection, writes.filter((w) => w.bucket === Stores.accountProjection));
});
