/**
 * How the JetStream trigger bridge hands a stream message to a Nex function. Nex 0.x passes only
 * (subject, payload) to a function, so the stream facts travel inside the payload.
 */
export type JetStreamTriggerEvent = {
  stream: string;
  /** Stream sequence: projections are idempotent by it. */
  seq: number;
  /** The original subject the event was stored under. */
  subject: string;
  /** Event time: when the stream stored the message (ISO-8601). */
  time: string;
  /** How many times this message was delivered (1 on the first try). */
  delivery: number;
  /** The message body, decoded as UTF-8 text. */
  data: string;
};

/** What a triggered function returns. Anything else, or no reply, is a failure and is retried. */
/**
 * What a batched trigger (`batch_max_events` > 1) hands its function: consecutive stream events
 * in order, in one call. `through` is the stream sequence of the last message the batch covers
 * (messages the bridge filtered out included), so a projection can record how far it has read.
 * The events come in one of two forms: `events` (one JetStreamTriggerEvent each), or compact
 * (`tokens`, `time_base`, `rows`: see CompactTriggerRow), which carries the same facts in about
 * half the bytes, so twice the events fit one call. `triggerBatchEvents` reads either.
 */
export type JetStreamTriggerBatch = {
  stream: string;
  through: number;
  /**
   * A subject the bridge answers while the call runs: one KvReadRequest reads many keys of a KV
   * bucket in one round trip (a batch touches hundreds of keys; one host call each was most of a
   * projection call). Absent from bridges that do not offer it: read key by key then.
   */
  reads?: string;
} & (
  | { events: JetStreamTriggerEvent[] }
  | {
      /** Every distinct subject token of the batch, once (a row names its subject by their indexes). */
      tokens: string[];
      /** Unix milliseconds the rows' times are counted from. */
      time_base: number;
      rows: CompactTriggerRow[];
      /**
       * The call's events continue in `parts` more CompactTriggerParts, in order after these rows,
       * each fetched from `reads` with a TriggerPartRequest (`part` 1 to `parts`): a call may hold
       * more events than one payload (`batch_max_parts`).
       */
      more?: { batch: string; parts: number };
    }
);

/** Rows of a call after its payload's own (JetStreamTriggerBatch.more), with their own token table and time base. */
export type CompactTriggerPart = { tokens: string[]; time_base: number; rows: CompactTriggerRow[] };
/** Asks the bridge (JetStreamTriggerBatch.reads) for part `part` (from 1) of the call `batch`. */
export type TriggerPartRequest = { batch: string; part: number };
export type TriggerPartReply = CompactTriggerPart | { error: string };

/**
 * One event of a compact batch: its stream sequence, its subject as indexes into `tokens` (joined
 * with dots), its delivery count, its stream time as milliseconds after `time_base`, and its body
 * text (JetStreamTriggerEvent.data).
 */
export type CompactTriggerRow = [seq: number, subject: number[], delivery: number, time_ms: number, data: string];

/** The events of a batch in either form, as JetStreamTriggerEvents (a compact call's own rows: its `more` parts are fetched apart). */
export function triggerBatchEvents(batch: JetStreamTriggerBatch): JetStreamTriggerEvent[] {
  if ("events" in batch) return batch.events;
  return batch.rows.map(([seq, subject, delivery, time, data]) => ({
    stream: batch.stream,
    seq,
    subject: subject.map((i) => batch.tokens[i]).join("."),
    time: new Date(batch.time_base + time).toISOString(),
    delivery,
    data,
  }));
}

/**
 * Asks the bridge (JetStreamTriggerBatch.reads) for the current values of `keys` in `bucket`. With
 * `json`, the caller says the bucket holds JSON texts (it is their writer): each value is then
 * embedded in the reply as the JSON it is, not as a string of it, so the reply is parsed once.
 */
export type KvReadRequest = { bucket: string; keys: string[]; json?: boolean };
/**
 * `values[i]` is the text stored under `keys[i]`, or null when the key is absent or deleted. Only
 * the first `values.length` keys are answered (the reply stays under the payload limit): ask again
 * for the rest. `last_seq` is the bucket stream's last sequence, taken before the keys were read:
 * a sole writer that still finds it there when it writes knows nothing changed in between.
 */
export type KvReadReply = { last_seq: number; values: (string | null)[] } | { error: string };
/** The reply to a KvReadRequest with `json`: each value as the JSON stored (null when absent), cut as KvReadReply is. */
export type KvReadJsonReply = { last_seq: number; values: unknown[] } | { error: string };
/** Keys per KvReadRequest at most (the bridge answers them at once, as many values as fit a reply). */
export const KV_READ_MAX_KEYS = 1024;

export type JetStreamTriggerReply = { ok: true } | { ok: false; error: string; retry?: boolean };

/** One JetStream trigger, as declared in a function's Nexfile (`start_request.jetstream_trigger`). */
export type JetStreamTriggerSpec = {
  /** The function's core-NATS trigger subject the bridge requests. */
  trigger_subject: string;
  stream: string;
  durable: string;
  filter_subjects: string[];
  /** Deliver in stream order, one at a time (projections need this). Default true. */
  ordered?: boolean;
  max_deliver?: number;
  ack_wait_ms?: number;
  /** Backoff before each redelivery; the last value repeats. */
  backoff_ms?: number[];
  /** Per-request timeout while waiting for the function's reply. */
  request_timeout_ms?: number;
  /** Up to this many events per call, as a JetStreamTriggerBatch (default 1: one JetStreamTriggerEvent per call). */
  batch_max_events?: number;
  /** A batch's JSON stays below this many bytes (default 900,000: under the 1 MB max_payload). */
  batch_max_bytes?: number;
  /**
   * A compact call may carry its events in up to this many parts of `batch_max_bytes` each
   * (default 1): the payload holds the first, the function fetches the rest from `reads`
   * (JetStreamTriggerBatch.more), so a call takes `batch_max_events` even when they do not fit one payload.
   */
  batch_max_parts?: number;
};

export const DEAD_LETTER_STREAM = "NATSTER_DEAD_LETTERS";
export const deadLetterSubject = (durable: string) => `natster.dead-letters.${durable}`;
