import { CONFIG_KEY, NONE, Stores, type GlobalConfig, type OnlineEntry } from "@natster/protocol";
import { kvJson } from "nex-fn";
import { defineApi } from "../../_lib/src/api.ts";
import { eventSubject } from "../../_lib/src/addresses.ts";
import { firstEventData } from "../../_lib/src/event-log.ts";
import { loadAccount } from "../../_lib/src/state.ts";
import { partnerName, sharePartners, sharedCatalogKeys, summarizeShares } from "./core.ts";

export default defineApi({
  shares: ({ caller }) => {
    const account = loadAccount(caller);
    if (!account) return [];
    const online = kvJson(Stores.online);
    const entries: Record<string, OnlineEntry | undefined> = {};
    // One get per distinct served catalog; a missing (or expired) key reads as offline.
    for (const key of new Set(sharedCatalogKeys(caller, account))) entries[key] = online.get<OnlineEntry>(key);
    // One log read per partner: the name it gave at `natster init --name` (display only).
    const names: Record<string, string | undefined> = {};
    const hub = kvJson(Stores.config).get<GlobalConfig>(CONFIG_KEY)?.hub;
    for (const partner of sharePartners(account)) {
      names[partner] = partnerName(partner, hub, () => firstEventData(eventSubject({ from: partner, to: NONE, catalog: NONE, type: "natster_initialized" })));
    }
    return summarizeShares(caller, account, entries, names);
  },
});
