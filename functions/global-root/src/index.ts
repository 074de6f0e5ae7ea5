import { STATS_KEY, Stores, type StatsProjection } from "@natster/protocol";
import { kvJson } from "nex-fn";
import { defineApi } from "../../_lib/src/api.ts";
import { onlineCount } from "../../_lib/src/online.ts";
import { initializedAt, loadAccount } from "../../_lib/src/state.ts";
import { statsReply, whoamiReply } from "./core.ts";

export default defineApi({
  stats: () => statsReply(kvJson(Stores.statsProjection).get<StatsProjection>(STATS_KEY), onlineCount()),
  whoami: ({ caller }) => {
    const account = loadAccount(caller);
    return whoamiReply(caller, initializedAt(caller, account), account);
  },
});
