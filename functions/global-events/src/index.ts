import { DEFAULT_EVENT_RATE_LIMITS, Stores, type CatalogProjection, type PutEventReply } from "@natster/protocol";
import { kvJson } from "nex-fn";
import { defineApi } from "../../_lib/src/api.ts";
import { appendEvent } from "../../_lib/src/event-log.ts";
import { parseJson } from "../../_lib/src/input.ts";
import { notifyAll } from "../../_lib/src/notify.ts";
import { initializedAt, loadAccount, loadConfig } from "../../_lib/src/state.ts";
import { admitEvents, rateCounters, type RateState } from "./rate.ts";
import { decidePut, parsePutEvent, type CallerState } from "./core.ts";

export default defineApi({
  put: ({ caller, payload }): PutEventReply => {
    const command = parsePutEvent(caller, parseJson(payload));
    const config = loadConfig();
    const account = loadAccount(caller);
    const state: CallerState = {
      initialized: initializedAt(caller, account) > 0,
      out_shares: account?.out_shares ?? [],
      catalog_owner:
        command.event_type === "catalog_shared"
          ? kvJson(Stores.catalogProjection).get<CatalogProjection>(command.catalog)?.owner
          : undefined,
    };
    const { events, notifications } = decidePut(command, state, config);
    // Calls on one trigger run one at a time on a node, so this read-then-write counts exactly there.
    const rates = kvJson(Stores.rates);
    const nowS = Math.floor(Date.now() / 1000);
    const counters = rateCounters(
      config.event_rate_limits ?? DEFAULT_EVENT_RATE_LIMITS,
      rates.get<RateState>(caller),
      nowS,
    );
    const admitted = admitEvents(counters, events.length, nowS);
    let seq = 0;
    for (const event of events) seq = appendEvent(event);
    rates.put(caller, admitted);
    notifyAll(notifications);
    return { seq };
  },
});
