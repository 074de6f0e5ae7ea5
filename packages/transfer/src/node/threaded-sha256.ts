import { Worker } from "node:worker_threads";
import type { Sha256Factory } from "../sha256.ts";
import type { HasherToPage, HashPort, PageToHasher } from "../sha256-messages.ts";
import { workerSha256 } from "../worker-sha256.ts";

/**
 * The hashing thread: serveSha256's side of the protocol (sha256-messages.ts) with node:crypto, as
 * a classic script, since a bundled artifact (the catalog server) has no module file to start it from.
 */
const THREAD_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const hashes = new Map();
const hashOf = (id) => hashes.get(id) ?? hashes.set(id, createHash("sha256")).get(id);
parentPort.on("message", (m) => {
  if (m.type === "drop") return void hashes.delete(m.id);
  if (m.type === "update") {
    hashOf(m.id).update(new Uint8Array(m.buffer, 0, m.length));
    return parentPort.postMessage({ type: "hashed", id: m.id, buffer: m.buffer, length: m.length }, [m.buffer]);
  }
  const digest = new Uint8Array(hashOf(m.id).digest());
  hashes.delete(m.id);
  parentPort.postMessage({ type: "digest", id: m.id, digest });
});`;

/**
 * A Node worker as workerSha256's port. Every update and digest gets exactly one answer, so the
 * thread holds the process open only while answers are due: a CLI that has finished exits.
 * Exported for its spec, which makes one fail.
 */
export function hashingThread(): HashPort<HasherToPage, PageToHasher> {
  const worker = new Worker(THREAD_SOURCE, { eval: true });
  worker.unref();
  let due = 0;
  const port: HashPort<HasherToPage, PageToHasher> = {
    onmessage: null,
    onerror: null,
    postMessage(message, transfer) {
      if (message.type !== "drop" && due++ === 0) worker.ref();
      worker.postMessage(message, transfer);
    },
    terminate: () => void worker.terminate(),
  };
  worker.on("message", (data: HasherToPage) => {
    if (--due === 0) worker.unref();
    port.onmessage?.({ data });
  });
  worker.on("error", (e) => port.onerror?.(e));
  worker.on("exit", (code) => port.onerror?.(new Error(`the SHA-256 thread exited (code ${code})`)));
  return port;
}

let shared: Sha256Factory | undefined;

/**
 * node:crypto's SHA-256 on a thread of its own (one per process, started on first use), through the
 * same client as the page's worker: the thread that receives a download's chunks spends ≈ 0.05 ms
 * per MiB copying them there instead of ≈ 0.9 hashing them.
 */
export const threadedSha256: Sha256Factory = () => (shared ??= workerSha256(hashingThread))();
