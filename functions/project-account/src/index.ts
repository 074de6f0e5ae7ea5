import { STATS_KEY, Stores, type AccountProjection, type StatsProjection } from "@natster/protocol";
import { readKeys } from "../../_lib/src/batch-reads.ts";
import { writeKeys } from "../../_lib/src/kv-writes.ts";
import { defineProjection } from "../../_lib/src/projection.ts";
import { planAccountBatch, touchesTarget } from "./core.ts";

export default defineProjection("account", (events, reads) => {
  const keys = events.flatMap((e) => (touchesTarget(e) ? [e.from, e.to] : [e.from]));
  const accounts = readKeys<AccountProjection>(Stores.accountProjection, keys, reads);
  const stats = readKeys<StatsProjection>(Stores.statsProjection, [STATS_KEY], reads);
  const writes = planAccountBatch(events, { account: (key) => accounts.get(key), stats: () => stats.get(STATS_KEY) });
  // Stats first: its change is judged from the accounts' previous state (see planAccountBatch).
  writeKeys(
    Stores.statsProjection,
    writes.filter((w) => w.bucket === Stores.statsProjection),
    stats.lastSeq,
  );
  writeKeys(
    Stores.accountProjection,
    writes.filter((w) => w.bucket === Stores.accountProjection),
    accounts.lastSeq,
  );
});
