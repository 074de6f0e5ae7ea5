import { Stores, type CatalogProjection } from "@natster/protocol";
import { kvJson } from "nex-fn";
import { defineApi } from "../../_lib/src/api.ts";
import { appendEvent } from "../../_lib/src/event-log.ts";
import { parseJson } from "../../_lib/src/input.ts";
import { notifyAll } from "../../_lib/src/notify.ts";
import { initializedAt, loadAccount, loadConfig } from "../../_lib/src/state.ts";
import { decidePut, parsePutEvent, type CallerState } from "./core.ts";

export default defineApi({
  put: ({ caller, payload }) => {
    const command = parsePutEvent(caller, parseJson(payload));
    const config = loadConfig();
    const account = loadAccount(caller);
    const state: CallerState = {
      initialized: initializedAt(caller, account) > 0,
      out_shares: account?.out_shares ?? [],
      catalog_owner:
        command.event_type === "catalog_shared" ? kvJson(Stores.catalogProjection).get<CatalogProjection>(command.catalog)?.owner : undefined,
    };
    const { events, notifications } = decidePut(command, state, config);
    for (const event of events) appendEvent(event);
    notifyAll(notifications);
    return "";
  },
});
