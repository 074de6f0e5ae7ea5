import {
  CONFIG_KEY,
  NONE,
  PROJECTION_NAMES,
  Stores,
  type GlobalConfig,
  type OnlineEntry,
  type ProjectionCursor,
  type ProjectionName,
  type StoredEvent,
} from "@natster/protocol";
import { kvJson } from "nex-fn";
import { defineApi } from "../../_lib/src/api.ts";
import { eventSubject } from "../../_lib/src/addresses.ts";
import { firstEventData } from "../../_lib/src/event-log.ts";
import { parseJson } from "../../_lib/src/input.ts";
import { getMessage, messageText } from "../../_lib/src/jetstream-api.ts";
import { appliedReply, parseAppliedRequest } from "./applied.ts";
import { loadAccount } from "../../_lib/src/state.ts";
import { partnerName, sharePartners, sharedCatalogKeys, summarizeShares } from "./core.ts";

export default defineApi({
  /** Read-your-writes: has every projection that consumes event `seq` applied it? */
  applied: ({ payload }) => {
    const seq = parseAppliedRequest(parseJson(payload));
    const message = getMessage(Stores.eventsStream, { seq });
    const type = message && (JSON.parse(messageText(message) ?? "{}") as Partial<StoredEvent>).event_type;
    const cursors = kvJson(Stores.cursors);
    const through = Object.fromEntries(
      PROJECTION_NAMES.map((name) => [name, cursors.get<ProjectionCursor>(name)?.through ?? 0]),
    );
    return appliedReply(seq, type, through as Record<ProjectionName, number>);
  },
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
      names[partner] = partnerName(partner, hub, () =>
        firstEventData(eventSubject({ from: partner, to: NONE, catalog: NONE, type: "natster_initialized" })),
      );
    }
    return summarizeShares(caller, account, entries, names);
  },
});
