import { KV_READ_MAX_KEYS, type KvReadJsonReply, type KvReadReply, type KvReadRequest } from "@natster/protocol";
import { asciiJsonBytes, host, kvJson } from "nex-fn";
import { payloadJson } from "./ascii-json.ts";
import { lastRevision } from "./kv-writes.ts";

/** The values of a batch's keys, read before it is applied. */
export type KeyValues<T> = {
  get(key: string): T | undefined;
  /** The bucket's last sequence when the keys were read (bridge reads only): the writes must find it unchanged. */
  lastSeq?: number;
};

/** Up to this many keys are read with host calls (a request to the bridge costs more than a few). */
const HOST_READS_MAX = 4;

/**
 * Reads `keys` of a JSON bucket: through the bridge's reads subject (JetStreamTriggerBatch.reads),
 * up to KV_READ_MAX_KEYS per request, or (no bridge reads, or a few keys) one host call per key
 * after noting the bucket's last sequence. A key not asked for is read from the host when wanted.
 */
export function readKeys<T>(bucket: string, keys: Iterable<string>, reads: string | undefined): KeyValues<T> {
  const kv = kvJson(bucket);
  if (reads === undefined) return { get: (key) => kv.get<T>(key) };
  const wanted = [...new Set(keys)];
  if (wanted.length <= HOST_READS_MAX) {
    const lastSeq = lastRevision(bucket);
    const values = new Map(wanted.map((key) => [key, kv.get<T>(key)]));
    return { get: (key) => (values.has(key) ? values.get(key) : kv.get<T>(key)), lastSeq };
  }
  const values = new Map<string, T | undefined>();
  let lastSeq: number | undefined;
  for (let i = 0; i < wanted.length; ) {
    const chunk = wanted.slice(i, i + KV_READ_MAX_KEYS);
    const request = { bucket, keys: chunk, json: true } satisfies KvReadRequest;
    const reply = payloadJson<KvReadJsonReply | KvReadReply>(host().messaging.request(reads, asciiJsonBytes(request)));
    if ("error" in reply) throw new Error(`reading ${bucket} through the bridge failed: ${reply.error}`);
    const answered = Array.isArray(reply.values) ? Math.min(reply.values.length, chunk.length) : 0;
    if (answered === 0 || typeof reply.last_seq !== "number")
      throw new Error(`reading ${bucket} through the bridge: no values in the reply`);
    if (lastSeq !== undefined && reply.last_seq !== lastSeq)
      throw new Error(`${bucket} changed while its keys were read`);
    lastSeq = reply.last_seq;
    // Values come as the JSON they are (json: true); a bridge without that sends each as a string of it.
    for (let j = 0; j < answered; j++) {
      const value = reply.values[j];
      values.set(
        chunk[j] as string,
        typeof value === "string" ? (JSON.parse(value) as T) : ((value ?? undefined) as T),
      );
    }
    i += answered;
  }
  return { get: (key) => (values.has(key) ? values.get(key) : kv.get<T>(key)), lastSeq };
}
