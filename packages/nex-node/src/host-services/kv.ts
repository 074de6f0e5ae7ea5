import type { NatsConnection } from "@nats-io/nats-core";
import { Kvm, type KV } from "@nats-io/kv";
import { KV_OP_TIMEOUT_MS } from "../limits.ts";
import { directGetter } from "./direct-get.ts";
import { HostServiceFailure } from "./errors.ts";
import { jsonOk, type HostService } from "./service.ts";
import { withTimeout } from "./timeout.ts";

export type BucketSettings = { maxBytes: number; autoProvision: boolean };

/** A resolved bucket; `directStream` when its stream answers direct gets on the standard `$KV.<bucket>.` subjects. */
type Opened = { kv: KV; directStream?: string };

/** nats.js's own check of a key (kv.js validateKey), so a read refuses what `kv.get` refuses. */
const VALID_KEY = /^[-/=.\w]+$/;
const validKey = (key: string) => !key.startsWith(".") && !key.endsWith(".") && VALID_KEY.test(key);

async function resolveOpened(kv: KV, bucket: string): Promise<Opened> {
  const { config } = (await kv.status()).streamInfo;
  const standard = config.allow_direct && !config.mirror && config.subjects?.length === 1;
  return standard && config.subjects?.[0] === `$KV.${bucket}.>` ? { kv, directStream: config.name } : { kv };
}

/** `kv(bucket).get/set/delete/keys` against JetStream KV (host-services/builtins/keyvalue.go). */
export function keyValueService(nc: NatsConnection, settings: BucketSettings): HostService {
  const kvm = new Kvm(nc);
  const directGet = directGetter(nc);
  const buckets = new Map<string, Promise<Opened>>();
  /** Buckets already resolved: a call on them skips the resolve step and its timer. */
  const opened = new Map<string, Opened>();
  const open = (bucket: string): Promise<Opened> => {
    let kv = buckets.get(bucket);
    if (!kv) {
      const made = settings.autoProvision ? kvm.create(bucket, { max_bytes: settings.maxBytes }) : kvm.open(bucket);
      kv = made.then((resolved) => resolveOpened(resolved, bucket));
      kv.then(
        (resolved) => buckets.get(bucket) === kv && opened.set(bucket, resolved),
        () => buckets.delete(bucket),
      );
      buckets.set(bucket, kv);
    }
    return withTimeout(kv, KV_OP_TIMEOUT_MS, "could not resolve k/v store").catch(() => {
      throw new HostServiceFailure(500, "could not resolve k/v store");
    });
  };
  const op = <T>(work: Promise<T>, message: string) =>
    withTimeout(work, KV_OP_TIMEOUT_MS, message).catch((e: unknown) => {
      throw e instanceof HostServiceFailure ? e : new HostServiceFailure(500, message);
    });

  return async (call) => {
    const bucket = call.bucket ?? "";
    const { kv, directStream } = opened.get(bucket) ?? (await open(bucket));
    const key = call.key ?? "";
    if (call.method !== "keys" && key === "") throw new HostServiceFailure(400, "key is required");
    switch (call.method) {
      case "get": {
        if (directStream !== undefined) {
          const value = validKey(key)
            ? await directGet(directStream, `$KV.${bucket}.${key}`, KV_OP_TIMEOUT_MS).catch(() => undefined)
            : undefined;
          if (!value) throw new HostServiceFailure(500, "failed to get value for key");
          return { bytes: value };
        }
        const entry = await op(kv.get(key), "failed to get value for key");
        if (!entry || entry.operation !== "PUT") throw new HostServiceFailure(500, "failed to get value for key");
        return { bytes: entry.value };
      }
      case "set": {
        const revision = await op(kv.put(key, call.value ?? new Uint8Array(0)), "failed to write value for key");
        return jsonOk({ revision, success: true });
      }
      case "delete":
        await op(kv.delete(key), "failed to delete key");
        return jsonOk({ success: true });
      case "keys": {
        const keys = await op(collect(kv), "failed to resolve keys");
        return jsonOk(keys);
      }
      default:
        throw new HostServiceFailure(400, "Received invalid host services RPC request");
    }
  };
}

async function collect(kv: KV): Promise<string[]> {
  const keys: string[] = [];
  for await (const k of await kv.keys()) keys.push(k);
  return keys;
}
