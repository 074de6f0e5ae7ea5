import { Stores, type OnlineEntry } from "@natster/protocol";
import { kvJson } from "nex-fn";
import { defineApi } from "../../_lib/src/api.ts";
import { loadAccount } from "../../_lib/src/state.ts";
import { sharedCatalogKeys, summarizeShares } from "./core.ts";

export default defineApi({
  shares: ({ caller }) => {
    const account = loadAccount(caller);
    if (!account) return [];
    const online = kvJson(Stores.online);
    const entries: Record<string, OnlineEntry | undefined> = {};
    // One get per distinct served catalog; a missing (or expired) key reads as offline.
    for (const key of new Set(sharedCatalogKeys(caller, account))) entries[key] = online.get<OnlineEntry>(key);
    return summarizeShares(caller, account, entries);
  },
});
