/**
 * The protocol between a hashing client (workerSha256: the page, or a Node process) and its SHA-256
 * thread (serveSha256 in the page's worker, node/threaded-sha256.ts in Node), one hashing session
 * per download by `id`:
 *
 *   page ──update {id, buffer, length}──► worker ──hashed {id, buffer, length}──► page
 *     (the page bounds what is queued; the buffer goes back and forth, transferred, to be reused)
 *   page ──digest {id}──► worker ──digest {id, digest}──► page         (the session ends)
 *   page ──drop {id}──► worker                  (a session given up before its digest; no answer)
 */
export type PageToHasher =
  | { type: "update"; id: number; buffer: ArrayBuffer; length: number }
  | { type: "digest"; id: number }
  | { type: "drop"; id: number };

export type HasherToPage =
  | { type: "hashed"; id: number; buffer: ArrayBuffer; length: number }
  | { type: "digest"; id: number; digest: Uint8Array };

/** What either end needs of a Worker, the worker's global scope or a MessagePort (DOM or Node). */
export type HashPort<In, Out> = {
  postMessage(message: Out, transfer?: ArrayBuffer[]): void;
  onmessage: ((event: { data: In }) => void) | null;
  /** A Worker's: it failed to load or threw. */
  onerror?: ((event: unknown) => void) | null;
  /** A Worker's: ends it (the client calls it once the worker failed). */
  terminate?(): void;
};
