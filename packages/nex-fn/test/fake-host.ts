import { runInNewContext } from "node:vm";
import type {
  Http,
  HttpResponse,
  KvBucket,
  LegacyHostServices,
  Messaging,
  NexGlobals,
  ObjectBucket,
  ObjectInfo,
} from "../src/index.ts";

/**
 * An in-memory stand-in for the Nex 0.x V8 host, faithful where the shim relies on it: failures
 * throw bare strings "Error: <msg> (<code>)", values must be Uint8Arrays, writes go through the
 * host's lossy conversion, and returned bytes come from another realm.
 */
export type FakeHost = {
  buckets: Map<string, Map<string, Uint8Array>>;
  objects: Map<string, Map<string, Uint8Array>>;
  published: { subject: string; payload: Uint8Array }[];
  /** Answers `messaging.request`; the default echoes the payload. */
  responder: (subject: string, payload: Uint8Array) => Uint8Array;
  /** Sees every `messaging.publish` after it is recorded (a publish has no answer: failures are lost). */
  onPublish?: (subject: string, payload: Uint8Array) => void;
  restore(): void;
};

/** The real host throws bare strings, not Error objects. */
export function hostThrow(message: string): never {
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- faithful to the host
  throw message;
}

/** What the host stores for `v`: String.fromCharCode(...v) then Go's []byte(string), i.e. UTF-8. */
export function hostWrite(v: unknown): Uint8Array {
  if (!ArrayBuffer.isView(v)) hostThrow("failed to marshal v8 value to []byte: only Uint8[] is supported");
  return new Uint8Array(Buffer.from(String.fromCharCode(...(v as Uint8Array)), "utf8"));
}

/** Bytes built in a different realm, as the real provider does. */
export function foreignBytes(bytes: ArrayLike<number>): Uint8Array {
  const u8 = runInNewContext(`new Uint8Array(${bytes.length})`) as Uint8Array;
  for (let i = 0; i < bytes.length; i++) u8[i] = bytes[i] as number;
  return u8;
}

const reply = (response: string): HttpResponse => ({ status: 200, response });
const http: Http = {
  get: () => reply("get"),
  post: () => reply("post"),
  put: () => reply("put"),
  patch: () => reply("patch"),
  delete: () => reply("delete"),
  head: () => reply("head"),
};

function bucketOf(all: Map<string, Map<string, Uint8Array>>, name: string): Map<string, Uint8Array> {
  if (!name) hostThrow("bucket name is required");
  let b = all.get(name);
  if (!b) all.set(name, (b = new Map<string, Uint8Array>()));
  return b;
}

function makeServices(fake: Omit<FakeHost, "restore">): NexGlobals {
  const kv = (bucket: string): KvBucket => {
    const b = bucketOf(fake.buckets, bucket);
    return {
      get: (key) => {
        const v = b.get(key);
        if (!v) return hostThrow("Error: failed to get value for key (500)");
        return foreignBytes(v);
      },
      set: (key, value) => void b.set(key, hostWrite(value)),
      delete: (key) => void b.delete(key),
      keys: () => [...b.keys()],
    };
  };
  const objectStore = (bucket: string): ObjectBucket => {
    const b = bucketOf(fake.objects, bucket);
    const info = (name: string, size: number): ObjectInfo => ({
      name,
      bucket,
      nuid: "N" + name,
      size,
      mtime: "2024-08-15T00:00:00Z",
      chunks: 1,
      digest: "SHA-256=x",
    });
    return {
      get: (name) => {
        const v = b.get(name);
        if (!v) return hostThrow("Error: object not found (404)");
        return foreignBytes(v);
      },
      put: (name, value) => {
        b.set(name, hostWrite(value));
        return info(name, b.get(name)?.length ?? 0);
      },
      delete: (name) => void b.delete(name),
      list: () => [...b].map(([name, v]) => info(name, v.length)),
    };
  };
  const messaging: Messaging = {
    publish: (subject, payload) => {
      const bytes = hostWrite(payload);
      fake.published.push({ subject, payload: bytes });
      fake.onPublish?.(subject, bytes);
    },
    request: (subject, payload) => foreignBytes(fake.responder(subject, hostWrite(payload))),
    requestMany: () => hostThrow("this function isn't currently supported"),
  };
  return { kv, objectStore, messaging, http };
}

type Globals = Record<string, unknown>;

function install(version: "0.3" | "0.2"): FakeHost {
  const g = globalThis as Globals;
  const names = ["kv", "objectStore", "messaging", "http", "hostServices"];
  const saved = names.map((n) => [n, Object.getOwnPropertyDescriptor(g, n)] as const);
  const fake: FakeHost = {
    buckets: new Map(),
    objects: new Map(),
    published: [],
    responder: (_subject, payload) => payload,
    restore: () => {
      for (const [n, d] of saved) {
        if (d) Object.defineProperty(g, n, d);
        else delete g[n];
      }
    },
  };
  const services = makeServices(fake);
  if (version === "0.3") Object.assign(g, services);
  else {
    // 0.2.x: one implicit bucket per workload, named after it.
    const legacy: LegacyHostServices = {
      ...services,
      kv: services.kv("hs_ns_fn_kv"),
      objectStore: services.objectStore("hs_ns_fn_obj"),
    };
    g.hostServices = legacy;
  }
  return fake;
}

export const installNex03 = (): FakeHost => install("0.3");
export const installNex02 = (): FakeHost => install("0.2");
