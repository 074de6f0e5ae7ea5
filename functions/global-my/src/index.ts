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
    const present = new Set(online.keys());
    const entries: Record<string, OnlineEntry | undefined> = {};
    // One keys() call, then a get only for the shared catalogs that are online.
    for (const key of sharedCatalogKeys(caller, account)) if (present.has(key)) entries[key] = online.get<OnlineEntry>(key);
    return summarizeShares(caller, account, entries);
  },
});
