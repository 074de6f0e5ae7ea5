/**
 * Exact shapes of the Nex 0.3 V8 host globals (nex-contract.md §1.4). They are deliberately not
 * declared as real ambient globals: this TypeScript program also holds Node code, where a global
 * `http` or `kv` would typecheck but not exist. Reach them through `host()` instead.
 */

/** `jetstream.ObjectInfo` from nats.go, as the host JSON-encodes it. */
export type ObjectInfo = {
  name: string;
  description?: string;
  headers?: Record<string, string[]>;
  metadata?: Record<string, string>;
  options?: { link?: { bucket: string; name?: string }; max_chunk_size?: number };
  bucket: string;
  nuid: string;
  size: number;
  /** RFC 3339 timestamp. */
  mtime: string;
  chunks: number;
  digest?: string;
  deleted?: boolean;
};

export type KvBucket = {
  /** Throws `"Error: failed to get value for key (500)"` when the key is missing. */
  get(key: string): Uint8Array;
  set(key: string, value: Uint8Array): void;
  delete(key: string): void;
  keys(): string[];
};

export type ObjectBucket = {
  /** Throws a 404 host error when the object is missing. */
  get(name: string): Uint8Array;
  put(name: string, value: Uint8Array): ObjectInfo;
  delete(name: string): void;
  list(): ObjectInfo[];
};

export type Messaging = {
  publish(subject: string, payload: Uint8Array): void;
  /** Host-side timeout is 750 ms by default. */
  request(subject: string, payload: Uint8Array): Uint8Array;
  /** Always throws "this function isn't currently supported". */
  requestMany(subject: string, payload: Uint8Array): never;
};

export type HttpResponse = {
  status: number;
  /** Multiple values of one header are joined with ", ". */
  headers?: Record<string, string>;
  response: string | null;
};

export type Http = {
  get(url: string, body?: Uint8Array): HttpResponse;
  post(url: string, body?: Uint8Array): HttpResponse;
  put(url: string, body?: Uint8Array): HttpResponse;
  patch(url: string, body?: Uint8Array): HttpResponse;
  delete(url: string, body?: Uint8Array): HttpResponse;
  head(url: string): HttpResponse;
};

/** The globals a Nex 0.3.x V8 context exposes. */
export type NexGlobals = {
  kv(bucket: string): KvBucket;
  objectStore(bucket: string): ObjectBucket;
  messaging: Messaging;
  http: Http;
};

/** Nex 0.2.x: `globalThis.hostServices`, one implicit bucket per workload. */
export type LegacyHostServices = {
  kv: KvBucket;
  objectStore: ObjectBucket;
  messaging: Messaging;
  http: Http;
};

/** What `host()` returns: the 0.3 API, whichever Nex version is underneath. */
export type Host = NexGlobals;
