import type { JetStreamTriggerBatch, JetStreamTriggerEvent } from "@natster/protocol";

/** The JSON envelope around the events, with room for the largest sequence numbers and the reads subject. */
const ENVELOPE_BYTES = 256;

export type PlannedCall = { body: string; events: JetStreamTriggerEvent[] };

/**
 * Splits events (in stream order) into calls whose JSON stays under `maxBytes`, at most
 * `maxEvents` each. `through` of every call is its last event, except the last call's, which is
 * `lastSeq`: the last message taken, filtered out or not. An event too large on its own still
 * gets a call of its own (the function or the server will say what is wrong with it).
 */
export function planBatches(
  stream: string,
  events: readonly JetStreamTriggerEvent[],
  lastSeq: number,
  maxEvents: number,
  maxBytes: number,
  reads?: string,
): PlannedCall[] {
  const calls: PlannedCall[] = [];
  let current: JetStreamTriggerEvent[] = [];
  // Each event is serialized once: its JSON both sizes the call and goes into the body.
  let texts: string[] = [];
  let bytes = ENVELOPE_BYTES;
  const close = (through: number) => {
    if (current.length === 0) return;
    calls.push({ body: batchBody(stream, through, texts, reads), events: current });
    current = [];
    texts = [];
    bytes = ENVELOPE_BYTES;
  };
  for (const event of events) {
    const text = JSON.stringify(event);
    const size = Buffer.byteLength(text) + 1;
    if (current.length > 0 && (current.length >= maxEvents || bytes + size > maxBytes))
      close(current[current.length - 1]!.seq);
    current.push(event);
    texts.push(text);
    bytes += size;
  }
  close(Math.max(lastSeq, current[current.length - 1]?.seq ?? 0));
  return calls;
}

/** A JetStreamTriggerBatch's JSON from its events' JSON, fields in the type's order. */
function batchBody(stream: string, through: number, eventTexts: readonly string[], reads: string | undefined): string {
  const tail = reads === undefined ? "" : `,"reads":${JSON.stringify(reads)}`;
  return `{"stream":${JSON.stringify(stream)},"through":${through},"events":[${eventTexts.join(",")}]${tail}}`;
}

/** One event alone, as a batch (the fallback that finds which event a failed batch cannot take). */
export const singleBatch = (stream: string, event: JetStreamTriggerEvent, reads?: string): string =>
  JSON.stringify({
    stream,
    through: event.seq,
    events: [event],
    ...(reads === undefined ? {} : { reads }),
  } satisfies JetStreamTriggerBatch);
