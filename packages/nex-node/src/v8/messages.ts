import type { MessagePort } from "node:worker_threads";

/** Messages between the node (main thread) and a v8 worker thread. Types only: the worker is bundled apart. */

export type HostServiceKind = "kv" | "objectstore" | "messaging" | "http";

/** One synchronous host call made by a function; `value` is the raw Uint8Array it passed, if any. */
export type HostCall = {
  seq: number;
  service: HostServiceKind;
  method: string;
  bucket?: string;
  key?: string;
  subject?: string;
  url?: string;
  value?: Uint8Array;
  /** A publish: the function does not wait for it (see worker.ts); a failure fails its next host call or the call itself. */
  oneWay?: true;
};

/** `bytes` become a Uint8Array for the function, `json` is parsed in the worker's realm. */
export type HostReply =
  | { seq: number; ok: true; bytes?: Uint8Array; json?: string }
  | { seq: number; ok: false; error: string };

export type V8Task = {
  /** Identifies the compiled script in the worker's cache (the workload id). */
  scriptKey: string;
  source: string;
  filename: string;
  subject: string;
  payload: Uint8Array;
};

export type V8Result = { ok: true; body: string } | { ok: false; error: string };

export type WorkerInit = { signal: SharedArrayBuffer; hostPort: MessagePort };
