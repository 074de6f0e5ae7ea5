import { NatsterError } from "@natster/protocol";
import { createSha256, type Sha256, type Sha256Factory } from "@natster/transfer";
import type { HasherToPage, HashPort, PageToHasher } from "./sha256-messages.ts";

/** Buffers the page keeps for its copies to the worker (the worker hands each back once hashed). */
const MAX_POOLED_BUFFERS = 16;

/** Bytes the page may queue for the worker before update() makes the download wait (8 chunks of 512 KiB). */
export const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

type Waiter<T> = { resolve(value: T): void; reject(error: Error): void };

type Session = {
  queued: number;
  /** The download waiting for the worker to catch up. */
  resume?: Waiter<void>;
  digest?: Waiter<Uint8Array>;
};

/**
 * SHA-256 on a worker thread, so hashing a download (pure JS: WebCrypto cannot hash incrementally)
 * runs beside the page's websocket, decryption and disk stream instead of after them on the main
 * thread. Each update posts a copy of the chunk (the page then hands the chunk itself to the
 * service worker) and waits only when MAX_QUEUED_BYTES are queued. The copies go into buffers the
 * worker hands back: a fresh 512 KiB buffer per chunk costs the page's main thread more than the copy. One worker serves every download
 * of the page, one session each.
 */
export function workerSha256(connect: () => HashPort<HasherToPage, PageToHasher>): Sha256Factory {
  let port: HashPort<HasherToPage, PageToHasher> | undefined;
  let failure: NatsterError | undefined;
  const sessions = new Map<number, Session>();
  let nextId = 1;
  const pool: ArrayBuffer[] = [];
  const copyOf = (data: Uint8Array): ArrayBuffer => {
    const reused = pool.pop();
    const buffer = reused && reused.byteLength >= data.length ? reused : new ArrayBuffer(data.length);
    new Uint8Array(buffer, 0, data.length).set(data);
    return buffer;
  };
  const fail = () => {
    failure ??= new NatsterError("INTERNAL", "the page's SHA-256 worker failed: the download cannot be verified");
    for (const session of sessions.values()) {
      session.resume?.reject(failure);
      session.digest?.reject(failure);
    }
    sessions.clear();
  };
  const onMessage = ({ data: message }: MessageEvent<HasherToPage>) => {
    if (message.type === "hashed" && pool.length < MAX_POOLED_BUFFERS) pool.push(message.buffer);
    const session = sessions.get(message.id);
    if (!session) return;
    if (message.type === "hashed") {
      session.queued -= message.length;
      if (session.queued <= MAX_QUEUED_BYTES) {
        session.resume?.resolve();
        session.resume = undefined;
      }
      return;
    }
    sessions.delete(message.id);
    session.digest?.resolve(message.digest);
  };
  const open = () => {
    if (failure) throw failure;
    if (!port) {
      port = connect();
      port.onmessage = onMessage;
      port.onerror = fail;
    }
    return port;
  };

  return (): Sha256 => {
    const id = nextId++;
    const session: Session = { queued: 0 };
    sessions.set(id, session);
    return {
      update(data) {
        const buffer = copyOf(data);
        session.queued += data.length;
        open().postMessage({ type: "update", id, buffer, length: data.length }, [buffer]);
        if (session.queued <= MAX_QUEUED_BYTES) return;
        return new Promise<void>((resolve, reject) => (session.resume = { resolve, reject }));
      },
      digest() {
        return new Promise<Uint8Array>((resolve, reject) => {
          session.digest = { resolve, reject };
          open().postMessage({ type: "digest", id });
        });
      },
    };
  };
}

let shared: Sha256Factory | undefined;

/** The page's hasher (one worker for the page, started on first use): on a worker thread where the browser has workers, else the pure-JS one in the page. */
export function pageSha256(): Sha256Factory {
  shared ??= typeof Worker === "undefined" ? createSha256 : threadSha256();
  return shared;
}

function threadSha256(): Sha256Factory {
  return workerSha256(
    () =>
      new Worker(new URL("./sha256-worker.ts", import.meta.url), {
        type: "module",
        name: "natster-sha256",
      }) as unknown as HashPort<HasherToPage, PageToHasher>,
  );
}
