import {
  EVENT_TYPES,
  NONE,
  isAccountKey,
  isCatalogName,
  type EventType,
  type JetStreamTriggerEvent,
  type StoredEvent,
} from "@natster/protocol";
import { payloadText } from "./ascii-json.ts";
import { asObject, parseJsonText } from "./input.ts";
import { unixSeconds } from "./time.ts";
import { reject } from "./rejection.ts";

/** A log event as the projections see it: the subject's tokens, the stream sequence and the EVENT time. */
export type ProjectedEvent = { seq: number; from: string; to: string; catalog: string; type: EventType; time: number };

const isEventType = (s: string): s is EventType => (EVENT_TYPES as readonly string[]).includes(s);
/** Keys already checked in this call (a fresh context per call): a batch repeats the same few accounts. */
const checkedKeys = new Set<string>();
const isKey = (s: string | undefined): s is string =>
  s !== undefined && (checkedKeys.has(s) || (isAccountKey(s) && checkedKeys.add(s) !== undefined));
const isTarget = (s: string) => s === NONE || isKey(s);
const isCatalogToken = (s: string) => s === NONE || isCatalogName(s);

const malformed = (why: string): never => reject("BAD_REQUEST", `malformed event: ${why}`);

/** Reads the bridge's JetStreamTriggerEvent; anything that is not a well-formed log event is a BAD_REQUEST Rejection. */
export const parseTriggeredEvent = (payload: ArrayLike<number>): ProjectedEvent =>
  readEvent(parseJsonText(payloadText(payload)));

/** Fetches part `part` (from 1) of the call `batch` (JetStreamTriggerBatch.more) from `reads`: its CompactTriggerPart JSON. */
export type PartFetcher = (reads: string, batch: string, part: number) => unknown;

/**
 * Reads a JetStreamTriggerBatch, in either form (or a lone JetStreamTriggerEvent, a batch of one),
 * with the rows of its later parts (`more`, through `fetchPart`). The events must come in rising
 * stream order and `through` may not be below the last of them.
 */
export function parseTriggeredBatch(
  payload: ArrayLike<number>,
  fetchPart?: PartFetcher,
): {
  through: number;
  events: ProjectedEvent[];
  reads?: string;
} {
  const body = asObject(parseJsonText(payloadText(payload)), "the trigger event");
  if (!("events" in body) && !("rows" in body)) {
    const event = readEvent(body);
    return { through: event.seq, events: [event] };
  }
  const { through, reads, more } = body;
  if (reads !== undefined && (typeof reads !== "string" || !/^[^\s*>]+$/.test(reads)))
    return malformed("reads must be a subject");
  const events: unknown = "rows" in body ? compactEvents(body) : body.events;
  if (!Array.isArray(events) || events.length === 0) return malformed("events must be a non-empty array");
  let parsed = "rows" in body ? (events as ProjectedEvent[]) : events.map(readEvent);
  if (more !== undefined) {
    const { batch, parts } = asObject(more, "more") as { batch?: unknown; parts?: unknown };
    const countOk = typeof parts === "number" && Number.isSafeInteger(parts) && parts > 0;
    if (typeof batch !== "string" || !countOk || typeof reads !== "string" || !fetchPart)
      return malformed("more must name a batch and its parts, with reads");
    for (let part = 1; part <= parts; part++)
      parsed = parsed.concat(compactEvents(asObject(fetchPart(reads, batch, part), "a part")));
  }
  let last: ProjectedEvent | undefined;
  for (const event of parsed) {
    if (last && event.seq <= last.seq) malformed(`seq ${event.seq} is out of order`);
    last = event;
  }
  if (typeof through !== "number" || !Number.isSafeInteger(through) || through < (last as ProjectedEvent).seq)
    return malformed("through must be at or past the last event");
  return reads === undefined ? { through, events: parsed } : { through, events: parsed, reads };
}

/** A compact batch's rows (CompactTriggerRow), each checked as readEvent checks an event. */
function compactEvents(body: Record<string, unknown>): ProjectedEvent[] {
  const { tokens, rows } = body;
  if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === "string"))
    return malformed("tokens must be an array of strings");
  if (!Array.isArray(rows)) return malformed("rows must be an array");
  const token = (i: unknown) => (typeof i === "number" && i in tokens ? (tokens[i] as string) : malformed("bad token"));
  return (rows as unknown[]).map((row) => {
    if (!Array.isArray(row) || !Array.isArray(row[1])) return malformed("a row must be [seq, subject, …]");
    const [seq, subject, , , data] = row as [unknown, unknown[], unknown, unknown, unknown];
    // The subject stays in tokens: joining it only for readEvent to split it again cost a string per event.
    return eventOf(seq, subject.map(token), data);
  });
}

function readEvent(value: unknown): ProjectedEvent {
  const trigger = asObject(value, "the trigger event") as Partial<Record<keyof JetStreamTriggerEvent, unknown>>;
  const { seq, subject, data } = trigger;
  if (typeof subject !== "string") {
    checkSeq(seq);
    return malformed("subject must be a string");
  }
  return eventOf(seq, subject.split("."), data);
}

function checkSeq(seq: unknown): asserts seq is number {
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1) malformed("seq must be a positive integer");
}

/** The event from its sequence, its subject's tokens and the stored event's JSON text. */
function eventOf(seq: unknown, tokens: readonly string[], data: unknown): ProjectedEvent {
  checkSeq(seq);
  if (tokens.length !== 6 || tokens[0] !== "natster" || tokens[1] !== "events")
    return malformed(`not an event subject: ${tokens.join(".")}`);
  const [, , from, to, catalog, type] = tokens as readonly [string, string, string, string, string, string];
  if (!isEventType(type)) return malformed(`unknown event type ${type}`);
  const between = type === "catalog_shared" || type === "catalog_unshared" || type === "catalog_imported";
  const tokensOk = between
    ? isKey(to) && isCatalogName(catalog) && catalog !== NONE
    : isTarget(to) && isCatalogToken(catalog);
  if (!isKey(from) || !tokensOk) return malformed(`bad subject tokens in ${tokens.join(".")}`);
  if (typeof data !== "string") return malformed("data must be the stored event's JSON text");
  const stored = asObject(parseJsonText(data, "the stored event"), "the stored event") as Partial<StoredEvent>;
  if (stored.event_type !== type) return malformed(`the stored event_type does not match the subject (${type})`);
  const time = typeof stored.time === "string" ? unixSeconds(stored.time) : NaN;
  if (!Number.isFinite(time)) return malformed("the stored event has no valid time");
  return { seq, from, to, catalog, type, time };
}
