/**
 * The media bridge protocol between the service worker and the page (types only: the worker
 * bundle must not pull page code in).
 *
 *   <video> ──GET /media/<catalog>/<hash>/<id>, Range──► service worker
 *   service worker ──MediaRequestMessage + MessagePort──► page (decides the range, opens the transfer)
 *   page ──head──► worker (status + headers, then the worker answers the element)
 *   worker ──pull──► page ──chunk──► worker, one decrypted chunk per pull, until end/error
 *   worker ──cancel──► page when the element drops the response (seek, close): the transfer stops
 */
export type MediaRequestMessage = { type: "natster-media-request"; url: string; range: string | null };

export type PageToWorker =
  /** This page does not hold that media (another window may). */
  | { type: "unknown" }
  | { type: "head"; status: number; headers: [string, string][] }
  | { type: "chunk"; bytes: ArrayBuffer }
  | { type: "end" }
  | { type: "error"; message: string };

export type WorkerToPage = { type: "pull" } | { type: "cancel" };
