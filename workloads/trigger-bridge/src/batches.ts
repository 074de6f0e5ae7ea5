import type { JetStreamTriggerBatch, JetStreamTriggerEvent } from "@natster/protocol";

/** The JSON envelope around the events, with room for the largest sequence numbers and the reads subject. */
const ENVELOPE_BYTES = 256;

export type PlannedCall = { body: string; events: JetStreamTriggerEvent[] };

/** What one event adds to a compact call: its row's JSON and its subject's tokens not yet in the call's table. */
type Row = { text: string; newTokens: string[]; bytes: number };

/**
 * An event ready for compact rows: its stream time in ms and its data as JSON text with its size,
 * computed once per message (every function of a shared durable gets rows from the same ones).
 */
export type PreparedEvent = { event: JetStreamTriggerEvent; time: number; dataJson: string; dataBytes: number };

export function prepareEvent(event: JetStreamTriggerEvent, time = Date.parse(event.time)): PreparedEvent {
  const dataJson = JSON.stringify(event.data);
  return { event, time, dataJson, dataBytes: Buffer.byteLength(dataJson) };
}

/** A compact call being filled: the token table, the rows, and its size so far. */
class CompactCall {
  readonly events: JetStreamTriggerEvent[] = [];
  readonly #tokens = new Map<string, number>();
  readonly #tokenTexts: string[] = [];
  readonly #rows: string[] = [];
  #timeBase = 0;
  bytes = ENVELOPE_BYTES;

  /** The row `prepared` would add (its new tokens counted once even if repeated in its subject). */
  row({ event, time, dataJson, dataBytes }: PreparedEvent): Row {
    if (this.events.length === 0) this.#timeBase = time;
    const newTokens: string[] = [];
    let bytes = 0;
    let indexes = "";
    for (const token of event.subject.split(".")) {
      let i = this.#tokens.get(token);
      if (i === undefined) {
        i = newTokens.indexOf(token);
        if (i < 0) {
          newTokens.push(token);
          bytes += Buffer.byteLength(JSON.stringify(token)) + 1;
          i = newTokens.length - 1;
        }
        i += this.#tokens.size;
      }
      indexes = indexes === "" ? `${i}` : `${indexes},${i}`;
    }
    // Everything but the data is ASCII: its bytes are its length.
    const head = `[${event.seq},[${indexes}],${event.delivery},${time - this.#timeBase},`;
    return { text: `${head}${dataJson}]`, newTokens, bytes: bytes + head.length + dataBytes + 2 };
  }

  add(event: JetStreamTriggerEvent, row: Row): void {
    for (const token of row.newTokens) {
      this.#tokens.set(token, this.#tokens.size);
      this.#tokenTexts.push(JSON.stringify(token));
    }
    this.#rows.push(row.text);
    this.events.push(event);
    this.bytes += row.bytes;
  }

  /** The CompactTriggerBatch JSON, fields in the type's order. */
  body(stream: string, through: number, reads: string | undefined): string {
    const head = `{"stream":${JSON.stringify(stream)},"through":${through}`;
    const tail = reads === undefined ? "" : `,"reads":${JSON.stringify(reads)}`;
    return `${head}${tail},"tokens":[${this.#tokenTexts.join(",")}],"time_base":${this.#timeBase},"rows":[${this.#rows.join(",")}]}`;
  }
}

/**
 * Splits events (in stream order) into compact calls (JetStreamTriggerBatch with `rows`) whose
 * JSON stays under `maxBytes`, at most `maxEvents` each. `through` of every call is its last
 * event, except the last call's, which is `lastSeq`: the last message taken, filtered out or not.
 * An event too large on its own still gets a call of its own (the function or the server will
 * say what is wrong with it).
 */
export function planBatches(
  stream: string,
  events: readonly JetStreamTriggerEvent[] | readonly PreparedEvent[],
  lastSeq: number,
  maxEvents: number,
  maxBytes: number,
  reads?: string,
): PlannedCall[] {
  const planner = new CallsPlanner(stream, maxEvents, maxBytes, reads);
  for (const e of events) planner.push("dataJson" in e ? e : prepareEvent(e));
  return planner.finish(lastSeq);
}

/** planBatches an event at a time, so a caller can let other work run between events. */
export class CallsPlanner {
  readonly #calls: PlannedCall[] = [];
  #current = new CompactCall();

  constructor(
    private readonly stream: string,
    private readonly maxEvents: number,
    private readonly maxBytes: number,
    private readonly reads?: string,
  ) {}

  push(prepared: PreparedEvent): void {
    const current = this.#current;
    let row = current.row(prepared);
    if (
      current.events.length > 0 &&
      (current.events.length >= this.maxEvents || current.bytes + row.bytes > this.maxBytes)
    ) {
      this.#close(current.events[current.events.length - 1]!.seq);
      row = this.#current.row(prepared);
    }
    this.#current.add(prepared.event, row);
  }

  finish(lastSeq: number): PlannedCall[] {
    const events = this.#current.events;
    this.#close(Math.max(lastSeq, events[events.length - 1]?.seq ?? 0));
    return this.#calls;
  }

  #close(through: number): void {
    if (this.#current.events.length === 0) return;
    this.#calls.push({ body: this.#current.body(this.stream, through, this.reads), events: this.#current.events });
    this.#current = new CompactCall();
  }
}

/** One event alone, as a batch (the fallback that finds which event a failed batch cannot take). */
export const singleBatch = (stream: string, event: JetStreamTriggerEvent, reads?: string): string =>
  JSON.stringify({
    stream,
    through: event.seq,
    events: [event],
    ...(reads === undefined ? {} : { reads }),
  } satisfies JetStreamTriggerBatch);
