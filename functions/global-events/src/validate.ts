import { CALLER_EVENT_TYPES, NONE, isAccountKey, type EventType } from "@natster/protocol";
import { asObject, catalogName, stringField } from "../../_lib/src/input.ts";
import { reject } from "../../_lib/src/rejection.ts";

export type CallerEventType = Exclude<EventType, "context_bound">;

/** A validated `events.put`: the caller comes from the subject, names are normalized. */
export type PutEventCommand = { caller: string; event_type: CallerEventType; catalog: string; target: string; data: unknown };

const isCallerEventType = (s: string): s is CallerEventType => (CALLER_EVENT_TYPES as readonly string[]).includes(s);

/** Upstream's NatsterEvent `{catalog, target, event_type, data}`, checked field by field. */
export function parsePutEvent(caller: string, body: unknown): PutEventCommand {
  const event = asObject(body, "the event");
  const type = stringField(event, "event_type");
  // Upstream bug 24: anyone could forge a binding. Only otc.claim writes context_bound now.
  if (type === "context_bound") reject("FORBIDDEN", "context_bound events are written only by the global service");
  if (!isCallerEventType(type)) return reject("BAD_REQUEST", `unknown event type ${type.slice(0, 64)}`);
  const data = event.data ?? null;
  if (type === "natster_initialized") {
    for (const name of ["catalog", "target"]) {
      const value = event[name];
      if (value !== undefined && value !== null && value !== NONE) reject("BAD_REQUEST", `natster_initialized takes ${name} '${NONE}'`);
    }
    return { caller, event_type: type, catalog: NONE, target: NONE, data };
  }
  const catalog = catalogName(stringField(event, "catalog"));
  const target = stringField(event, "target");
  if (!isAccountKey(target)) reject("BAD_ACCOUNT_KEY", "target is not an account public key");
  return { caller, event_type: type, catalog, target, data };
}
