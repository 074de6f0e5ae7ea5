import type { JetStreamManager } from "@nats-io/jetstream";
import { createInbox, type Msg, type NatsConnection } from "@nats-io/nats-core";
import { KV_READ_MAX_KEYS, type KvReadReply, type KvReadRequest, type TriggerPartRequest } from "@natster/protocol";
import type { BatchParts } from "./batch-parts.ts";
import { BucketMirror } from "./bucket-mirror.ts";

/** A reply stays this far under the 1 MB max_payload. */
const REPLY_BUDGET_BYTES = 900_000;
const MAX_KEYS = KV_READ_MAX_KEYS;
const BUCKET_NAME = /^[-\w]+$/;
/** nats.js's KV key rule: these characters, no leading or trailing dot. */
const KEY = /^[-/=.\w]+$/;
const isKey = (k: unknown): k is string =>
  typeof k === "string" && KEY.test(k) && !k.startsWith(".") && !k.endsWith(".");

/** A parsed body as a KvReadRequest, or why it cannot be served. */
function kvReadRequestOf(body: unknown): KvReadRequest | { error: string } {
  const { bucket, keys, json } = (typeof body === "object" && body !== null ? body : {}) as Partial<
    Record<keyof KvReadRequest, unknown>
  >;
  if (typeof bucket !== "string" || !BUCKET_NAME.test(bucket)) return { error: "bucket must be a KV bucket name" };
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_KEYS)
    return { error: `keys must be 1 to ${MAX_KEYS} keys` };
  const bad: unknown = (keys as unknown[]).find((k) => !isKey(k));
  if (bad !== undefined) return { error: `not a KV key: ${JSON.stringify(bad)?.slice(0, 80)}` };
  if (json !== undefined && typeof json !== "boolean") return { error: "json must be a boolean" };
  return json ? { bucket, keys: keys as string[], json } : { bucket, keys: keys as string[] };
}

/**
 * The reply for the values read, cut after the last value that fits the budget (never before the
 * first). With `asJson` (KvReadRequest.json) each stored text is embedded as the JSON it is.
 */
export function kvReadReplyText(
  lastSeq: number,
  values: readonly (string | null)[],
  budget = REPLY_BUDGET_BYTES,
  asJson = false,
): string {
  let text = `{"last_seq":${lastSeq},"values":[`;
  let bytes = Buffer.byteLength(text) + 2;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? null;
    const item = asJson && value !== null ? value : JSON.stringify(value);
    const size = Buffer.byteLength(item) + 1;
    if (i > 0 && bytes + size > budget) break;
    text += (i > 0 ? "," : "") + item;
    bytes += size;
  }
  return `${text}]}`;
}

const dec = new TextDecoder();

/** The stored text under `key`, or null when absent, deleted or purged. Read from the stream leader (MSG.GET), never a replica. */
async function readValue(jsm: JetStreamManager, bucket: string, key: string): Promise<string | null> {
  const stored = await jsm.streams.getMessage(`KV_${bucket}`, { last_by_subj: `$KV.${bucket}.${key}` });
  if (!stored) return null;
  const op = stored.header?.get("KV-Operation");
  return op === "DEL" || op === "PURGE" ? null : dec.decode(stored.data);
}

/** How long a read waits for a bucket's mirror to apply writes it has not seen yet (well under the host's 750 ms request timeout). */
const MIRROR_WAIT_MS = 250;

type Mirrors = Map<string, Promise<BucketMirror | undefined>>;

function mirrorOf(nc: NatsConnection, mirrors: Mirrors, bucket: string): Promise<BucketMirror | undefined> {
  let mirror = mirrors.get(bucket);
  if (!mirror) {
    mirror = BucketMirror.start(nc, bucket).catch(() => undefined);
    mirrors.set(bucket, mirror);
  }
  return mirror;
}

async function answer(
  nc: NatsConnection,
  jsm: JetStreamManager,
  mirrors: Mirrors,
  request: KvReadRequest,
): Promise<string> {
  // Taken before the values: a write in between moves it, so the writer's check catches it.
  const { last_seq, messages } = (await jsm.streams.info(`KV_${request.bucket}`)).state;
  if (messages === 0) {
    // Empty (new, or purged under a mirror that cannot see a purge): every key is absent.
    void mirrors.get(request.bucket)?.then((m) => m?.close());
    mirrors.delete(request.bucket);
    return kvReadReplyText(
      last_seq,
      request.keys.map(() => null),
    );
  }
  const mirror = await mirrorOf(nc, mirrors, request.bucket);
  if (mirror && (await mirror.at(last_seq, messages, MIRROR_WAIT_MS))) {
    return kvReadReplyText(
      last_seq,
      request.keys.map((key) => mirror.values.get(key) ?? null),
      REPLY_BUDGET_BYTES,
      request.json,
    );
  }
  // Not provably current (purged, behind, too big, or gone): drop it, read the stream, start afresh next time.
  if (!mirror || mirror.closed || mirror.values.size !== messages) {
    mirror?.close();
    mirrors.delete(request.bucket);
  }
  const values = await Promise.all(request.keys.map((key) => readValue(jsm, request.bucket, key)));
  return kvReadReplyText(last_seq, values, REPLY_BUDGET_BYTES, request.json);
}

const errorReply = (error: string) => JSON.stringify({ error } satisfies KvReadReply);

/** The JSON body of a request on the reads subject, or undefined when it is not JSON. */
function jsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Serves KvReadRequests on a fresh inbox subject of the bridge's connection, for the functions the
 * bridge calls with batches (JetStreamTriggerBatch.reads): the keys of one request are answered at
 * once, not one host call each: from the bucket's mirror when it provably holds the state at the
 * bucket's last sequence, else read from the stream (pipelined). The same subject serves the later
 * parts of the calls in flight (TriggerPartRequest, `parts`). Only the bridge's own account can
 * reach the subject.
 */
export function startKvReads(
  nc: NatsConnection,
  jsm: JetStreamManager,
  parts?: BatchParts,
): { subject: string; stop(): void } {
  const subject = createInbox();
  const mirrors: Mirrors = new Map();
  const sub = nc.subscribe(subject, {
    callback: (_e, msg: Msg) => {
      const body = jsonBody(dec.decode(msg.data));
      if (parts && typeof body === "object" && body !== null && "batch" in body) {
        const { batch, part } = body as Partial<Record<keyof TriggerPartRequest, unknown>>;
        respond(msg, parts.answer(batch, part));
        return;
      }
      const request = body === undefined ? { error: "the read request is not JSON" } : kvReadRequestOf(body);
      const reply =
        "error" in request
          ? Promise.resolve(errorReply(request.error))
          : answer(nc, jsm, mirrors, request).catch((e: unknown) =>
              errorReply(`${request.bucket}: ${(e as Error).message}`),
            );
      void reply.then((text) => respond(msg, text));
    },
  });
  return {
    subject,
    stop: () => {
      sub.unsubscribe();
      for (const mirror of mirrors.values()) void mirror.then((m) => m?.close());
      mirrors.clear();
    },
  };
}

function respond(msg: Msg, text: string): void {
  try {
    msg.respond(text);
  } catch {
    // the connection is closing: the function's request times out and the batch is retried
  }
}
