import { CALLER_EVENT_TYPES, MAX_EVENT_DATA_BYTES, NONE, isAccountKey, type EventType } from "@natster/protocol";
import { asObject, catalogName, stringField } from "../../_lib/src/input.ts";
import { reject } from "../../_lib/src/rejection.ts";

export type CallerEventType = Exclude<EventType, "context_bound">;

/** A validated `events.put`: the caller comes from the subject, names are normalized. */
export type PutEventCommand = {
  caller: string;
  event_type: CallerEventType;
  catalog: string;
  target: string;
  data: unknown;
};

const isCallerEventType = (s: string): s is CallerEventType => (CALLER_EVENT_TYPES as readonly string[]).includes(s);

/** Upstream's NatsterEvent `{catalog, target, event_type, data}`, checked field by field. */
export function parsePutEvent(caller: string, body: unknown): PutEventCommand {
  const event = asObject(body, "the event");
  const type = stringField(event, "event_type");
  // Upstream bug 24: anyone could forge a binding. Only otc.claim writes context_bound now.
  if (type === "context_bound") reject("FORBIDDEN", "context_bound events are written only by the global service");
  if (!isCallerEventType(type)) return reject("BAD_REQUEST", `unknown event type ${type.slice(0, 64)}`);
  const data = eventData(type, caller, event.data);
  if (type === "natster_initialized") {
    for (const name of ["catalog", "target"]) {
      const value = event[name];
      if (value !== undefined && value !== null && value !== NONE)
        reject("BAD_REQUEST", `natster_initialized takes ${name} '${NONE}'`);
    }
    return { caller, event_type: type, catalog: NONE, target: NONE, data };
  }
  const catalog = catalogName(stringField(event, "catalog"));
  const target = stringField(event, "target");
  if (!isAccountKey(target)) reject("BAD_ACCOUNT_KEY", "target is not an account public key");
  return { caller, event_type: type, catalog, target, data };
}

/** `natster_initialized` may say who the account is; every other event carries nothing (`null`). */
export type InitData = { account_key?: string; account_name?: string };

const badData = (why: string): never => reject("BAD_EVENT_DATA", why);

/** 1-64 characters, none of them a control character. */
const isPrintableName = (name: string): boolean =>
  name.length >= 1 && name.length <= 64 && [...name].every((c) => c.charCodeAt(0) >= 0x20 && c !== "\u007f");

/**
 * `data` per event type, so nobody can park arbitrary bytes in the shared log: shares, unshares
 * and imports take null; an init takes null or `{account_key, account_name}` with the caller's own
 * key and a short printable name. What is stored is rebuilt from the checked fields only.
 */
export function eventData(type: CallerEventType, caller: string, data: unknown): InitData | null {
  if (data === undefined || data === null) return null;
  if (type !== "natster_initialized") return badData(`${type} events carry no data (send null)`);
  if (typeof data !== "object" || Array.isArray(data))
    return badData("natster_initialized data must be null or {account_key, account_name}");
  const fields = Object.keys(data);
  const extra = fields.filter((f) => f !== "account_key" && f !== "account_name");
  if (extra.length > 0)
    badData(`natster_initialized data has unknown fields: ${extra.slice(0, 3).join(", ").slice(0, 80)}`);
  const { account_key, account_name } = data as Partial<Record<keyof InitData, unknown>>;
  if (account_key !== undefined && account_key !== caller) badData("account_key must be the calling account's key");
  if (account_name !== undefined && (typeof account_name !== "string" || !isPrintableName(account_name))) {
    badData("account_name must be 1-64 printable characters");
  }
  const checked: InitData = {
    ...(account_key === undefined ? {} : { account_key: caller }),
    ...(account_name === undefined ? {} : { account_name: account_name as string }),
  };
  if (JSON.stringify(checked).length > MAX_EVENT_DATA_BYTES) badData(`data exceeds ${MAX_EVENT_DATA_BYTES} bytes`);
  return checked;
}
