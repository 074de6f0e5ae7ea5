import type { NatsConnection } from "@nats-io/nats-core";
import { Objm, type ObjectInfo, type ObjectStore } from "@nats-io/obj";
import { OBJECT_OP_TIMEOUT_MS } from "../limits.ts";
import { HostServiceFailure } from "./errors.ts";
import type { BucketSettings } from "./kv.ts";
import { jsonOk, type HostService } from "./service.ts";
import { withTimeout } from "./timeout.ts";

/** `objectStore(bucket).get/put/delete/list` (host-services/builtins/objectstore.go). */
export function objectStoreService(nc: NatsConnection, settings: BucketSettings): HostService {
  const objm = new Objm(nc);
  const stores = new Map<string, Promise<ObjectStore>>();
  const open = (bucket: string): Promise<ObjectStore> => {
    let store = stores.get(bucket);
    if (!store) {
      store = settings.autoProvision ? objm.create(bucket, { max_bytes: settings.maxBytes }) : objm.open(bucket);
      store.catch(() => stores.delete(bucket));
      stores.set(bucket, store);
    }
    return withTimeout(store, OBJECT_OP_TIMEOUT_MS, "unable to resolve object store").catch(() => {
      throw new HostServiceFailure(settings.autoProvision ? 500 : 404, "unable to resolve object store");
    });
  };
  const op = <T>(work: Promise<T>, message: string, code = 500) =>
    withTimeout(work, OBJECT_OP_TIMEOUT_MS, message).catch((e: unknown) => {
      throw e instanceof HostServiceFailure ? e : new HostServiceFailure(code, message);
    });

  return async (call) => {
    const store = await open(call.bucket ?? "");
    const name = call.key ?? "";
    if (call.method !== "list" && name === "") throw new HostServiceFailure(400, "name is required");
    switch (call.method) {
      case "get": {
        const bytes = await op(store.getBlob(name), "failed to get object");
        // Real 0.3.0-rc1 answers a missing object with 500, not 404 (checked by the conformance suite).
        if (!bytes) throw new HostServiceFailure(500, "failed to get object");
        return { bytes };
      }
      case "put":
        return jsonOk(
          goObjectInfo(await op(store.putBlob({ name }, call.value ?? new Uint8Array(0)), "failed to put object")),
        );
      case "delete":
        await op(store.delete(name), "failed to delete object");
        return jsonOk({ success: true });
      case "list":
        return jsonOk((await op(store.list(), "failed to list objects")).map(goObjectInfo));
      default:
        throw new HostServiceFailure(400, "unknown method");
    }
  };
}

/** nats.go's `jetstream.ObjectInfo` JSON, which is what the real host hands the function. */
function goObjectInfo(info: ObjectInfo): Record<string, unknown> {
  const go: Record<string, unknown> = { name: info.name };
  if (info.description) go.description = info.description;
  if (info.metadata && Object.keys(info.metadata).length > 0) go.metadata = info.metadata;
  if (info.options && Object.keys(info.options).length > 0) go.options = info.options;
  Object.assign(go, { bucket: info.bucket, nuid: info.nuid, size: info.size, mtime: info.mtime, chunks: info.chunks });
  if (info.digest) go.digest = info.digest;
  if (info.deleted) go.deleted = true;
  return go;
}
