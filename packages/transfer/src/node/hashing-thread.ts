import { Worker } from "node:worker_threads";
import { MAX_QUEUED_BYTES } from "./threaded-sha256-limits.ts";

type ToWorker =
  | { id: number; op: "update"; bytes: ArrayBuffer }
  | { id: number; op: "digest" }
  | { id: number; op: "drop" };
type FromWorker =
  | { id: number; op: "hashed"; length: number }
  | { id: number; op: "digest"; digest: ArrayBuffer }
  | { id: number; op: "failed"; error: string };

/** The thread: node:crypto hashes by session id, in the order the bytes were posted. */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const hashes = new Map();
parentPort.on("message", (m) => {
  if (m.op === "drop") return void hashes.delete(m.id);
  try {
    let hash = hashes.get(m.id);
    if (!hash) hashes.set(m.id, (hash = createHash("sha256")));
    if (m.op === "update") {
      hash.update(new Uint8Array(m.bytes));
      parentPort.postMessage({ id: m.id, op: "hashed", length: m.bytes.byteLength });
    } else {
      hashes.delete(m.id);
      const d = hash.digest();
      parentPort.postMessage({ id: m.id, op: "digest", digest: d.buffer.slice(d.byteOffset, d.byteOffset + d.length) });
    }
  } catch (e) {
    hashes.delete(m.id);
    parentPort.postMessage({ id: m.id, op: "failed", error: String(e && e.message || e) });
  }
});`;

export type Session = {
  queued: number;
  /** Callers waiting for the queue to drain below half the limit. */
  drained: { resolve: () => void; reject: (e: Error) => void }[];
  digest?: { resolve: (d: Uint8Array) => void; reject: (e: Error) => void };
  failed?: Error;
};

/** One hashing thread per process, started on first use, holding the process open only while a session has work queued. */
export class HashingThread {
  private worker: Worker | undefined;
  private readonly sessions = new Map<number, Session>();
  private nextId = 1;
  private busy = 0;

  open(): { id: number; session: Session } {
    const id = this.nextId++;
    const session: Session = { queued: 0, drained: [] };
    this.sessions.set(id, session);
    return { id, session };
  }

  post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    const worker = this.started();
    if (this.busy++ === 0) worker.ref();
    worker.postMessage(message, transfer);
  }

  /** A hasher dropped without a digest (its download failed): the thread forgets its state; nothing answers. */
  drop(id: number): void {
    this.sessions.delete(id);
    this.worker?.postMessage({ id, op: "drop" } satisfies ToWorker);
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on("message", (m: FromWorker) => this.settle(m));
    const stop = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.busy = 0;
      for (const [id, session] of this.sessions) this.fail(id, session, error);
    };
    worker.on("error", (e) => stop(new Error(`the SHA-256 thread failed: ${e.message}`)));
    worker.on("exit", (code) => stop(new Error(`the SHA-256 thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private settle(m: FromWorker): void {
    if (--this.busy === 0) this.worker?.unref();
    const session = this.sessions.get(m.id);
    if (!session) return;
    if (m.op === "hashed") {
      session.queued -= m.length;
      if (session.queued <= MAX_QUEUED_BYTES / 2) for (const waiter of session.drained.splice(0)) waiter.resolve();
    } else if (m.op === "digest") {
      this.sessions.delete(m.id);
      session.digest?.resolve(new Uint8Array(m.digest));
    } else this.fail(m.id, session, new Error(`SHA-256 failed: ${m.error}`));
  }

  private fail(id: number, session: Session, error: Error): void {
    this.sessions.delete(id);
    session.failed = error;
    for (const waiter of session.drained.splice(0)) waiter.reject(error);
    session.digest?.reject(error);
  }
}
