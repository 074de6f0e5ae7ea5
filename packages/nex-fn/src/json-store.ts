import { asciiJsonBytes, json } from "./codecs.ts";
import { isNotFound, parseHostError } from "./errors.ts";
import { host } from "./host.ts";
import type { ObjectInfo } from "./types.ts";

// Failures other than "not found" propagate exactly as the host threw them (usually a string);
// read them with parseHostError.

export type KvJson = {
  /** A missing key is `undefined`, not a throw. */
  get<T>(key: string): T | undefined;
  put(key: string, value: unknown): void;
  del(key: string): void;
  keys(): string[];
};

export type ObjJson = {
  /** A missing object is `undefined`, not a throw. */
  get<T>(name: string): T | undefined;
  put(name: string, value: unknown): ObjectInfo;
  del(name: string): void;
  list(): ObjectInfo[];
};

type Bucket = { get(key: string): Uint8Array; delete(key: string): void };

/** What kvJson and objJson share: reads where "not found" is `undefined`, and deletes. */
function jsonBucket(open: () => Bucket) {
  return {
    get<T>(key: string): T | undefined {
      try {
        return json<T>(open().get(key));
      } catch (thrown) {
        // A JSON.parse failure is rethrown too: its message never ends in a host code like "(404)".
        if (isNotFound(parseHostError(thrown))) return undefined;
        throw thrown;
      }
    },
    del: (key: string): void => open().delete(key),
  };
}

/** JSON values in a KV bucket; writes are ASCII-safe. */
export function kvJson(bucket: string): KvJson {
  const kv = () => host().kv(bucket);
  return { ...jsonBucket(kv), put: (key, value) => kv().set(key, asciiJsonBytes(value)), keys: () => kv().keys() };
}

/** JSON documents in an object store bucket; writes are ASCII-safe. */
export function objJson(bucket: string): ObjJson {
  const store = () => host().objectStore(bucket);
  return {
    ...jsonBucket(store),
    put: (name, value) => store().put(name, asciiJsonBytes(value)),
    list: () => store().list(),
  };
}

export function publishJson(subject: string, value: unknown): void {
  host().messaging.publish(subject, asciiJsonBytes(value));
}

/** Request/reply through the host (750 ms host-side timeout by default). */
export function requestJson<T>(subject: string, value: unknown): T {
  return json<T>(host().messaging.request(subject, asciiJsonBytes(value)));
}
