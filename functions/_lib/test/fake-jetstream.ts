import { randomBytes } from "node:crypto";
import { hostThrow } from "nex-fn/testing";
import type { KvReadReply, KvReadRequest, TriggerPartReply, TriggerPartRequest } from "@natster/protocol";

/** One message of the in-memory NATSTER_EVENTS stream. */
export type StreamMessage = { seq: number; subject: string; data: Uint8Array; time: string };

const enc = new TextEncoder();
const dec = new TextDecoder();
const json = (value: unknown): Uint8Array => enc.encode(JSON.stringify(value));
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const noMessage = (type: string, code = 404, err_code = 10037) =>
  json({ type, error: { code, err_code, description: "no message found" } });

const GET = "io.nats.jetstream.api.v1.stream_msg_get_response";
const DELETE = "io.nats.jetstream.api.v1.stream_msg_delete_response";

/**
 * What the functions reach through `messaging.request` on a real stack, shaped as nats-server 2.9
 * answers (verified on 2.9.10): the PubAck of a request to a stream subject, the entropy
 * service, and `$JS.API.STREAM.MSG.GET/DELETE` on NATSTER_EVENTS and the KV_NATSTER_CODES stream.
 */
export class FakeJetStream {
  readonly events: StreamMessage[] = [];
  /** Set to emulate an outage of one dependency. */
  down: { log?: boolean; entropy?: boolean } = {};
  /** Runs inside a `$JS.API` request, before it is answered: a place to interleave a concurrent caller. */
  beforeApi?: (subject: string) => void;
  private kvSeqs = new WeakMap<Uint8Array, number>();
  private lastSeq = 0;
  /** Each KV bucket's stream sequence, counted over writes made on `$KV.<bucket>.<key>`. */
  private readonly kvRevisions = new Map<string, number>();

  /** The trigger bridge's batch reads (KvReadRequest), answered from the buckets, at most `perReply` values a reply. */
  readonly reads = {
    subject: "_INBOX.fake-bridge-reads",
    perReply: Number.POSITIVE_INFINITY,
    requests: 0,
    afterAnswer: undefined as (() => void) | undefined,
    /** Answers every read with values as strings, as a bridge without KvReadRequest.json does. */
    stringsOnly: false,
    /** The later parts of the calls in flight (JetStreamTriggerBatch.more), by batch: answered to TriggerPartRequests. */
    parts: new Map<string, readonly unknown[]>(),
  };

  constructor(private readonly buckets: Map<string, Map<string, Uint8Array>>) {}

  /** A write by someone else than the caller, as a `$KV` publish would make it. */
  writeBehind(bucket: string, key: string, value: unknown): void {
    this.kvWrite(`$KV.${bucket}.${key}`, new TextEncoder().encode(JSON.stringify(value)));
  }

  readonly respond = (subject: string, payload: Uint8Array): Uint8Array => {
    if (subject === this.reads.subject) {
      const request = JSON.parse(dec.decode(payload)) as KvReadRequest | TriggerPartRequest;
      return "batch" in request ? this.part(request) : this.read(request);
    }
    if (subject === "natster.internal.entropy") return this.entropy(payload);
    if (/^natster\.events\.[^.]+\.[^.]+\.[^.]+\.[^.]+$/.test(subject)) return this.append(subject, payload);
    if (subject.startsWith("$KV."))
      return json({ stream: `KV_${subject.split(".")[1]}`, seq: this.kvWrite(subject, payload) });
    if (subject.startsWith("$JS.API.")) {
      this.beforeApi?.(subject);
      return this.api(subject, JSON.parse(dec.decode(payload)) as Record<string, unknown>);
    }
    return hostThrow("Error: nats: no responders available for request (500)");
  };

  private entropy(payload: Uint8Array): Uint8Array {
    if (this.down.entropy) hostThrow("Error: nats: no responders available for request (500)");
    const { bytes } = JSON.parse(dec.decode(payload)) as { bytes: number };
    return json({ hex: randomBytes(bytes).toString("hex") });
  }

  private append(subject: string, data: Uint8Array): Uint8Array {
    if (this.down.log) return json({ error: { code: 503, err_code: 10077, description: "maximum bytes exceeded" } });
    const seq = this.events.length + 1;
    this.events.push({ seq, subject, data, time: new Date().toISOString() });
    return json({ stream: "NATSTER_EVENTS", seq });
  }

  /** A publish on a KV subject: stored like a JetStream KV put; a failing write is lost, as a publish would be. */
  readonly published = (subject: string, payload: Uint8Array): void => {
    if (!subject.startsWith("$KV.")) return;
    try {
      this.kvWrite(subject, payload);
    } catch {
      // No acknowledgement to carry the failure: the writer's revision check notices.
    }
  };

  private kvWrite(subject: string, payload: Uint8Array): number {
    const [, bucket = "", ...key] = subject.split(".");
    let map = this.buckets.get(bucket);
    if (!map) this.buckets.set(bucket, (map = new Map<string, Uint8Array>()));
    map.set(key.join("."), payload);
    const seq = (this.kvRevisions.get(bucket) ?? 0) + 1;
    this.kvRevisions.set(bucket, seq);
    return seq;
  }

  private api(subject: string, request: Record<string, unknown>): Uint8Array {
    if (subject.startsWith("$JS.API.STREAM.INFO.KV_")) {
      const bucket = subject.slice("$JS.API.STREAM.INFO.KV_".length);
      return json({
        type: "io.nats.jetstream.api.v1.stream_info_response",
        state: { last_seq: this.kvRevisions.get(bucket) ?? 0 },
      });
    }
    if (subject === "$JS.API.STREAM.MSG.GET.NATSTER_EVENTS") {
      const found = request.last_by_subj
        ? [...this.events].reverse().find((m) => m.subject === request.last_by_subj)
        : this.events.find((m) => m.subject === request.next_by_subj && m.seq >= Number(request.seq));
      return found
        ? json({
            type: GET,
            message: { subject: found.subject, seq: found.seq, data: b64(found.data), time: found.time },
          })
        : noMessage(GET);
    }
    const codes = this.buckets.get("NATSTER_CODES") ?? new Map<string, Uint8Array>();
    if (subject === "$JS.API.STREAM.MSG.GET.KV_NATSTER_CODES") {
      const key = String(request.last_by_subj).replace(/^\$KV\.NATSTER_CODES\./, "");
      const value = codes.get(key);
      if (!value) return noMessage(GET);
      return json({
        type: GET,
        message: {
          subject: `$KV.NATSTER_CODES.${key}`,
          seq: this.kvSeq(value),
          data: b64(value),
          time: new Date().toISOString(),
        },
      });
    }
    if (subject === "$JS.API.STREAM.MSG.DELETE.KV_NATSTER_CODES") {
      const key = [...codes].find(([, v]) => this.kvSeq(v) === request.seq)?.[0];
      if (key === undefined) return noMessage(DELETE, 500, 10057);
      codes.delete(key);
      return json({ type: DELETE, success: true });
    }
    return json({ error: { code: 404, err_code: 10059, description: "stream not found" } });
  }

  private part({ batch, part }: TriggerPartRequest): Uint8Array {
    const body = this.reads.parts.get(batch)?.[part - 1];
    return json(body ?? ({ error: `no part ${part} of ${batch}` } satisfies TriggerPartReply));
  }

  private read({ bucket, keys, json: asJson }: KvReadRequest): Uint8Array {
    this.reads.requests++;
    const stored = this.buckets.get(bucket);
    const values = keys.slice(0, this.reads.perReply).map((k) => {
      const v = stored?.get(k);
      return v === undefined ? null : dec.decode(v);
    });
    const last_seq = this.kvRevisions.get(bucket) ?? 0;
    const reply =
      asJson && !this.reads.stringsOnly
        ? json({ last_seq, values: values.map((v) => (v === null ? null : (JSON.parse(v) as unknown))) })
        : json({ last_seq, values } satisfies KvReadReply);
    this.reads.afterAnswer?.();
    return reply;
  }

  /** Every KV write makes a new value object, so identity gives each revision its own sequence. */
  private kvSeq(value: Uint8Array): number {
    let seq = this.kvSeqs.get(value);
    if (seq === undefined) this.kvSeqs.set(value, (seq = ++this.lastSeq));
    return seq;
  }
}
