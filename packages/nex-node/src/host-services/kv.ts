import type { NatsConnection } from "@nats-io/nats-core";
import { Kvm, type KV } from "@nats-io/kv";
import { KV_OP_TIMEOUT_MS } from "../limits.ts";
import { HostServiceFailure } from "./errors.ts";
import { jsonOk, type HostService } from "./service.ts";
import { withTimeout } from "./timeout.ts";

export type BucketSettings = { maxBytes: number; autoProvision: boolean };

/** `kv(bucket).get/set/delete/keys` against JetStream KV (host-services/builtins/keyvalue.go). */
export function keyValueService(nc: NatsConnection, settings: BucketSettings): HostService {
  const kvm = new Kvm(nc);
  const buckets = new Map<string, Promise<KV>>();
  /** Buckets already resolved: a call on them skips the resolve step and its timer. */
  const opened = new Map<string, KV>();
  const open = (bucket: string): Promise<KV> => {
    let kv = buckets.get(bucket);
    if (!kv) {
      kv = settings.autoProvision ? kvm.create(bucket, { max_bytes: settings.maxBytes }) : kvm.open(bucket);
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
    const kv = opened.get(call.bucket ?? "") ?? (await open(call.bucket ?? ""));
    const key = call.key ?? "";
    if (call.method !== "keys" && key === "") throw new HostServiceFailure(400, "key is required");
    switch (call.method) {
      case "get": {
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
