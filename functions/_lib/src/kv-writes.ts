import { asciiJsonBytes, host, requestJson } from "nex-fn";

type PubAck = { seq?: number; error?: { description?: string } };
type StreamInfo = { state?: { last_seq?: number }; error?: { description?: string } };

export type KeyWrite = { key: string; value: unknown };

/** The bucket stream's last sequence: every write to the bucket moves it. */
export function lastRevision(bucket: string): number {
  const info = requestJson<StreamInfo>(`$JS.API.STREAM.INFO.KV_${bucket}`, {});
  const seq = info.state?.last_seq;
  if (typeof seq !== "number")
    throw new Error(`${bucket}: no stream state (${info.error?.description ?? "no answer"})`);
  return seq;
}

/**
 * Writes a projection's changed keys, each once: all but the last as plain publishes on the KV
 * subjects (no acknowledgement round trip each), the last as a request answered with the store's
 * PubAck. The revision check: the bucket's stream must have grown by exactly the number of writes,
 * so a lost publish (or another writer) fails the call and the bridge retries the batch, which is
 * idempotent by sequence. One writer per bucket is the projections' rule. With `readAt` (the
 * bucket's revision when the batch's keys were read), the bucket must not have moved since.
 */
export function writeKeys(bucket: string, writes: readonly KeyWrite[], readAt?: number): void {
  const last = writes[writes.length - 1];
  if (!last) return;
  const before = lastRevision(bucket);
  // The values were read at `readAt`: a write since then (another writer) makes them stale.
  if (readAt !== undefined && before !== readAt)
    throw new Error(`${bucket} changed since its keys were read (revision ${readAt}, now ${before})`);
  const { messaging } = host();
  const values = encodeAll(writes.slice(0, -1).map((w) => w.value));
  for (let i = 0; i < writes.length - 1; i++)
    messaging.publish(`$KV.${bucket}.${(writes[i] as KeyWrite).key}`, values[i] as Uint8Array);
  const ack = requestJson<PubAck>(`$KV.${bucket}.${last.key}`, last.value);
  if (ack.seq !== before + writes.length) {
    throw new Error(
      `${bucket}: expected revision ${before + writes.length} after ${writes.length} writes, the store answered ${ack.seq ?? ack.error?.description ?? "nothing"}`,
    );
  }
}

const NOT_PLAIN_ASCII = /[\u007f-\uffff]/;

/**
 * Each value's asciiJsonBytes. Plain ASCII JSON (what a projection nearly always writes) is
 * encoded in one pass over all of it and cut into copies: a char loop per value, run afresh in
 * every call's new context, cost more than the JSON itself.
 */
export function encodeAll(values: readonly unknown[]): Uint8Array[] {
  const texts = values.map((v) => JSON.stringify(v) ?? "null");
  const all = texts.join("");
  if (NOT_PLAIN_ASCII.test(all)) return values.map(asciiJsonBytes);
  const bytes = new Uint8Array(all.length);
  for (let i = 0; i < all.length; i++) bytes[i] = all.charCodeAt(i);
  let at = 0;
  return texts.map((t) => bytes.slice(at, (at += t.length)));
}
