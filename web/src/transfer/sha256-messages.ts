/**
 * The protocol between the page and its SHA-256 worker (sha256-worker.ts), one hashing session per
 * download by `id`:
 *
 *   page ──update {id, buffer, length}──► worker ──hashed {id, buffer, length}──► page
 *     (the page bounds what is queued; the buffer goes back and forth, transferred, to be reused)
 *   page ──digest {id}──► worker ──digest {id, digest}──► page         (the session ends)
 */
export type PageToHasher =
  | { type: "update"; id: number; buffer: ArrayBuffer; length: number }
  | { type: "digest"; id: number };

export type HasherToPage =
  | { type: "hashed"; id: number; buffer: ArrayBuffer; length: number }
  | { type: "digest"; id: number; digest: Uint8Array };

/** What either end needs of a Worker, the worker's global scope or a MessagePort. */
export type HashPort<In, Out> = {
  postMessage(message: Out, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<In>) => void) | null;
  /** A Worker's: it failed to load or threw. */
  onerror?: ((event: Event) => void) | null;
};
