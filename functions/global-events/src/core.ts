import type { GlobalConfig, ShareEntry, ShareNotification } from "@natster/protocol";
import type { NewEvent } from "../../_lib/src/event-log.ts";
import type { Notification } from "../../_lib/src/notify.ts";
import { reject } from "../../_lib/src/rejection.ts";
import type { PutEventCommand } from "./validate.ts";

export { parsePutEvent, type PutEventCommand } from "./validate.ts";

/** What `events.put` needs to know about the caller, read from the log and the projections. */
export type CallerState = {
  initialized: boolean;
  out_shares: readonly ShareEntry[];
  /** PROJ_CATALOG owner of the catalog being shared, if anyone shares it yet. */
  catalog_owner: string | undefined;
};

export type PutDecision = { events: NewEvent[]; notifications: Notification[] };

type HubConfig = Pick<GlobalConfig, "hub" | "hub_catalog">;

/** The `events.put` decider: a command and the caller's state in, events to append and notifications out. */
export function decidePut(command: PutEventCommand, state: CallerState, config: HubConfig): PutDecision {
  const { caller, target, catalog } = command;
  const event: NewEvent = { from: caller, to: target, catalog, type: command.event_type, data: command.data };
  if (command.event_type === "natster_initialized") return initialize(event, state, config);
  if (!state.initialized) reject("NOT_INITIALIZED", "this account is not initialized; run `natster init` first");
  if (target === caller) reject("SELF_SHARE", "an account cannot share with itself");
  const shared = state.out_shares.some((s) => s.catalog === catalog && s.account === target);
  switch (command.event_type) {
    case "catalog_shared":
      if ((catalog === config.hub_catalog && caller !== config.hub) || (state.catalog_owner ?? caller) !== caller) {
        reject("NAME_TAKEN", `another account already shares a catalog named '${catalog}'`);
      }
      if (shared) reject("DUPLICATE", `catalog '${catalog}' is already shared with ${target}`);
      return { events: [event], notifications: [shareNotification(event)] };
    case "catalog_unshared":
      if (!shared) reject("NOT_FOUND", `catalog '${catalog}' is not shared with ${target}`);
      return { events: [event], notifications: [shareNotification(event)] };
    case "catalog_imported":
      return { events: [event], notifications: [] };
    default:
      return unreachable(command.event_type);
  }
}

/** natster_initialized, then the hub's auto-share of its demo catalog (upstream's synadiahub). */
function initialize(event: NewEvent, state: CallerState, config: HubConfig): PutDecision {
  if (state.initialized) reject("ALREADY_INITIALIZED", "this account is already initialized");
  if (event.from === config.hub) return { events: [event], notifications: [] };
  const autoShare: NewEvent = {
    from: config.hub,
    to: event.from,
    catalog: config.hub_catalog,
    type: "catalog_shared",
    data: null,
  };
  return { events: [event, autoShare], notifications: [shareNotification(autoShare)] };
}

function shareNotification(e: NewEvent): Notification {
  const payload: ShareNotification = { from_account: e.from, to_account: e.to, catalog: e.catalog };
  return { to: e.to, type: e.type, payload };
}

function unreachable(type: never): never {
  throw new Error(`unhandled event type ${String(type)}`);
}
