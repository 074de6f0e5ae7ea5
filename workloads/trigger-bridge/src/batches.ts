import type { JetStreamTriggerBatch, JetStreamTriggerEvent } from "@natster/protocol";

/** The JSON envelope around the events, with room for the largest sequence numbers, the reads subject and `more`. */
const ENVELOPE_BYTES = 256;

/**
 * One call: its payload, its events (of every part) and, for a call in several parts, the bodies
 * of the parts after the payload's own (CompactTriggerPart), served under `parts.batch` on `reads`.
 */
export type PlannedCall = {
  body: string;
  events: JetStreamTriggerEvent[];
  parts?: { batch: string; bodies: string[] };
};

/** What one event adds to a compact call: its row's JSON and its subject's tokens not yet in the call's table. */
type Row = { text: string; newTokens: string[]; bytes: number };

/**
 * An event ready for compact rows: its stream time in ms and its data as JSON text with its size,
 * computed once per message (every function of a shared durable gets rows from the same ones).
 */
export type PreparedEvent = {
  event: JetStreamTriggerEvent;
  /** The subject's tokens. */
  tokens: readonly string[];
  time: number;
  dataJson: string;
  dataBytes: number;
};

export function prepareEvent(event: JetStreamTriggerEvent, time = Date.parse(event.time)): PreparedEvent {
  const dataJson = JSON.stringify(event.data);
  return { event, tokens: event.subject.split("."), time, dataJson, dataBytes: Buffer.byteLength(dataJson) };
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
  row({ event, tokens, time, dataJson, dataBytes }: PreparedEvent): Row {
    if (this.events.length === 0) this.#timeBase = time;
    const newTokens: string[] = [];
    let bytes = 0;
    let indexes = "";
    for (const token of tokens) {
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
  body(stream: string, through: number, reads: string | undefined, more?: { batch: string; parts: number }): string {
    const head = `{"stream":${JSON.stringify(stream)},"through":${through}`;
    const tail = reads === undefined ? "" : `,"reads":${JSON.stringify(reads)}`;
    const rest = more === undefined ? "" : `,"more":{"batch":${JSON.stringify(more.batch)},"parts":${more.parts}}`;
    return `${head}${tail},${this.partBody().slice(1, -1)}${rest}}`;
  }

  /** The CompactTriggerPart JSON: the rows with their own token table and time base. */
  partBody(): string {
    return `{"tokens":[${this.#tokenTexts.join(",")}],"time_base":${this.#timeBase},"rows":[${this.#rows.join(",")}]}`;
  }
}

/** Names a call's parts on the reads subject: unique within the bridge process. */
let lastPartsBatch = 0;

/**
 * Splits events (in stream order) into compact calls (JetStreamTriggerBatch with `rows`) of at most
 * `maxEvents` each, whose JSON stays under `maxBytes`: in one payload, or with `maxParts` > 1 and
 * a `reads` subject in up to that many parts of `maxBytes` (the payload and CompactTriggerParts).
 * `through` of every call is its last event, except the last call's, which is `lastSeq`: the last
 * message taken, filtered out or not. An event too large on its own still gets a call (or part) of
 * its own (the function or the server will say what is wrong with it).
 */
export function planBatches(
  stream: string,
  events: readonly JetStreamTriggerEvent[] | readonly PreparedEvent[],
  lastSeq: number,
  maxEvents: number,
  maxBytes: number,
  reads?: string,
  maxParts = 1,
): PlannedCall[] {
  const planner = new CallsPlanner(stream, maxEvents, maxBytes, reads, maxParts);
  for (const e of events) planner.push("dataJson" in e ? e : prepareEvent(e));
  return planner.finish(lastSeq);
}

/** planBatches an event at a time, so a caller can let other work run between events. */
export class CallsPlanner {
  readonly #calls: PlannedCall[] = [];
  /** The current call's full parts, then the part being filled. */
  #parts: CompactCall[] = [];
  #current = new CompactCall();
  #events = 0;
  readonly #maxParts: number;

  /** Several parts only with a `reads` subject to fetch them from. */
  constructor(
    private readonly stream: string,
    private readonly maxEvents: number,
    private readonly maxBytes: number,
    private readonly reads?: string,
    maxParts = 1,
  ) {
    this.#maxParts = reads === undefined ? 1 : Math.max(1, maxParts);
  }

  push(prepared: PreparedEvent): void {
    let row = this.#current.row(prepared);
    const full = this.#current.events.length > 0 && this.#current.bytes + row.bytes > this.maxBytes;
    if (this.#events >= this.maxEvents || (full && this.#parts.length + 1 >= this.#maxParts)) {
      // The part being filled is never empty here: a part is started only with the event that needs it.
      this.#close(this.#current.events[this.#current.events.length - 1]!.seq);
      row = this.#current.row(prepared);
    } else if (full) {
      this.#parts.push(this.#current);
      this.#current = new CompactCall();
      row = this.#current.row(prepared);
    }
    this.#current.add(prepared.event, row);
    this.#events++;
  }

  finish(lastSeq: number): PlannedCall[] {
    const events = this.#current.events;
    this.#close(Math.max(lastSeq, events[events.length - 1]?.seq ?? 0));
    return this.#calls;
  }

  #close(through: number): void {
    if (this.#events === 0) return;
    const all = [...this.#parts, this.#current];
    const first = all[0] as CompactCall;
    const rest = all.slice(1);
    const events = rest.length === 0 ? first.events : all.flatMap((p) => p.events);
    if (rest.length === 0) this.#calls.push({ body: first.body(this.stream, through, this.reads), events });
    else {
      const batch = String(++lastPartsBatch);
      this.#calls.push({
        body: first.body(this.stream, through, this.reads, { batch, parts: rest.length }),
        events,
        parts: { batch, bodies: rest.map((p) => p.partBody()) },
      });
    }
    this.#parts = [];
    this.#current = new CompactCall();
    this.#events = 0;
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
