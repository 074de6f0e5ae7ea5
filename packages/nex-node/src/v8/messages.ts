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
  /** The script's top level once ran away ahead of a call on some worker: run it only at call time. */
  topLevelAtCallTime?: true;
};

export type V8Result = { ok: true; body: string } | { ok: false; error: string };

export type WorkerInit = { signal: SharedArrayBuffer; hostPort: MessagePort };

/**
 * Int32 slots of the shared signal: the host answer's flag, and the top level that a worker runs
 * ahead of a call without vm's per-run watchdog thread (running flag, and a counter of such runs,
 * so the pool can tell one run lasting a whole watchdog period from two short ones).
 */
export const SignalSlot = { hostAnswer: 0, aheadRunning: 1, aheadRuns: 2 } as const;
export const SIGNAL_BYTES = 3 * Int32Array.BYTES_PER_ELEMENT;
/** A top level run ahead of its call taking longer than this is left to call time (and its time limit). */
export const AHEAD_TIME_LIMIT_MS = 1000;
