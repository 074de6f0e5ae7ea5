import { NatsterError } from "@natster/protocol";
import type { Sha256, Sha256Factory } from "./sha256.ts";
import type { HasherToPage, HashPort, PageToHasher } from "./sha256-messages.ts";

/** Buffers the client keeps for its copies to the worker (the worker hands each back once hashed). */
const MAX_POOLED_BUFFERS = 16;

/**
 * Bytes a client may queue for the worker before update() makes the download wait (8 chunks of
 * 512 KiB): also what a catalog server may hold per download for a page's sender digest (SECURITY.md).
 */
export const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

type Waiter<T> = { resolve(value: T): void; reject(error: Error): void };

type Port = HashPort<HasherToPage, PageToHasher>;

type Session = {
  /** The worker this session's bytes went to (none before its first update). */
  port?: Port;
  queued: number;
  /** Updates waiting for the worker to catch up. */
  resume: Waiter<void>[];
  digest?: Waiter<Uint8Array>;
  failed?: NatsterError;
};

/**
 * SHA-256 on a worker thread, so hashing a download runs beside the websocket or socket, the
 * decryption and the disk instead of after them on the thread that receives the chunks. Each
 * update posts a copy of the chunk (the caller may reuse or hand on the chunk itself at once) and
 * waits only when MAX_QUEUED_BYTES are queued. The copies go into buffers the worker hands back:
 * a fresh 512 KiB buffer per chunk costs the page's main thread more than the copy. One worker
 * serves every download of the client, one session each; a hasher given up before its digest (a
 * failed download) is dropped from the worker once collected, so a long-lived server keeps nothing.
 * A worker that fails fails the downloads whose bytes it held; the next download starts a new one.
 */
export function workerSha256(connect: () => Port): Sha256Factory {
  let current: Port | undefined;
  const sessions = new Map<number, Session>();
  let nextId = 1;
  const pool: ArrayBuffer[] = [];
  const copyOf = (data: Uint8Array): ArrayBuffer => {
    const reused = pool.pop();
    const buffer = reused && reused.byteLength >= data.length ? reused : new ArrayBuffer(data.length);
    new Uint8Array(buffer, 0, data.length).set(data);
    return buffer;
  };
  const fail = (port: Port) => {
    if (port !== current) return; // a worker already replaced, reporting again (Node: error, then exit)
    current = undefined;
    port.terminate?.();
    const failure = new NatsterError("INTERNAL", "the SHA-256 worker failed: the download cannot be verified");
    for (const [id, session] of sessions) {
      if (session.port !== port) continue;
      session.failed = failure;
      for (const waiter of session.resume.splice(0)) waiter.reject(failure);
      session.digest?.reject(failure);
      sessions.delete(id);
    }
  };
  const onMessage = (port: Port, message: HasherToPage) => {
    if (port !== current) return;
    if (message.type === "hashed" && pool.length < MAX_POOLED_BUFFERS) pool.push(message.buffer);
    const session = sessions.get(message.id);
    if (!session) return;
    if (message.type === "hashed") {
      session.queued -= message.length;
      if (session.queued <= MAX_QUEUED_BYTES) for (const waiter of session.resume.splice(0)) waiter.resolve();
      return;
    }
    sessions.delete(message.id);
    session.digest?.resolve(message.digest);
  };
  const portOf = (session: Session): Port => {
    if (!session.port) {
      if (!current) {
        const port = connect();
        port.onmessage = ({ data }) => onMessage(port, data);
        port.onerror = () => fail(port);
        current = port;
      }
      session.port = current;
    }
    return session.port;
  };
  const abandoned = new FinalizationRegistry<number>((id) => {
    const session = sessions.get(id);
    sessions.delete(id);
    if (session?.port !== undefined && session.port === current) session.port.postMessage({ type: "drop", id });
  });

  return (): Sha256 => {
    const id = nextId++;
    const session: Session = { queued: 0, resume: [] };
    sessions.set(id, session);
    let digested = false;
    const refusal = (): Error | undefined =>
      session.failed ?? (digested ? new Error("the SHA-256 was already digested") : undefined);
    const hasher: Sha256 = {
      update(data) {
        const refused = refusal();
        if (refused) return Promise.reject(refused);
        const port = portOf(session);
        const buffer = copyOf(data);
        session.queued += data.length;
        port.postMessage({ type: "update", id, buffer, length: data.length }, [buffer]);
        if (session.queued <= MAX_QUEUED_BYTES) return;
        return new Promise<void>((resolve, reject) => session.resume.push({ resolve, reject }));
      },
      digest() {
        const refused = refusal();
        if (refused) return Promise.reject(refused);
        digested = true;
        abandoned.unregister(hasher);
        const port = portOf(session);
        return new Promise<Uint8Array>((resolve, reject) => {
          session.digest = { resolve, reject };
          port.postMessage({ type: "digest", id });
        });
      },
    };
    abandoned.register(hasher, id, hasher);
    return hasher;
  };
}
