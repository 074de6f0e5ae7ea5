import { Stores, type StoredEvent } from "@natster/protocol";
import { requestJson } from "nex-fn";
import { eventSubject, type EventAddress } from "./addresses.ts";
import { randomHex } from "./entropy.ts";
import { reject } from "./rejection.ts";
import { getMessage, messageText } from "./jetstream-api.ts";
import { unixSeconds } from "./time.ts";

/** An event to append at its subject address. */
export type NewEvent = EventAddress & { data: unknown };

type PubAck = { stream?: string; seq?: number; error?: { code?: number; err_code?: number; description?: string } };

/** How nats-server (2.9 and later) refuses an append to a full stream with discard "new". */
const isLogFull = (error: PubAck["error"]) =>
  /maximum (bytes|messages)|resource limits exceeded|insufficient (storage|resources)/i.test(error?.description ?? "");

/**
 * Appends to NATSTER_EVENTS. A request (not a publish) to a stream subject is answered with the
 * JetStream PubAck, so the append is acknowledged without a JetStream client. Returns the sequence.
 */
export function appendEvent(e: NewEvent): number {
  const stored: StoredEvent = {
    id: randomHex(16),
    time: new Date().toISOString(),
    event_type: e.type,
    data: e.data ?? null,
  };
  const ack = requestJson<PubAck>(eventSubject(e), stored);
  if (isLogFull(ack.error))
    reject(
      "LOG_FULL",
      "the event log is full and keeps every event it has: nothing new can be recorded until the operator grows it",
    );
  if (typeof ack.seq !== "number")
    throw new Error(`the event log did not store the event: ${ack.error?.description ?? "no ack"}`);
  return ack.seq;
}

/** The time of the oldest event stored under `subject`, straight from the log (no projection lag). */
export function firstEventTime(subject: string): number | undefined {
  const message = getMessage(Stores.eventsStream, { seq: 1, next_by_subj: subject });
  if (!message) return undefined;
  const body = messageText(message);
  let time = message.time;
  try {
    time = (JSON.parse(body ?? "") as Partial<StoredEvent>).time ?? time;
  } catch {
    // Not a StoredEvent: the stream's own timestamp will do.
  }
  return unixSeconds(String(time));
}

/** The `data` of the oldest event stored under `subject` (e.g. the name given at init), or undefined. */
export function firstEventData(subject: string): unknown {
  const message = getMessage(Stores.eventsStream, { seq: 1, next_by_subj: subject });
  const body = message && messageText(message);
  try {
    return body ? (JSON.parse(body) as Partial<StoredEvent>).data : undefined;
  } catch {
    return undefined;
  }
}
