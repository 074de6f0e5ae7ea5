import {
  createSha256,
  workerSha256,
  type HasherToPage,
  type HashPort,
  type PageToHasher,
  type Sha256Factory,
} from "@natster/transfer";

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
