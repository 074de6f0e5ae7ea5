import { createSha256, type SyncSha256 } from "@natster/transfer";
import type { HasherToPage, HashPort, PageToHasher } from "./sha256-messages.ts";

/** The worker's side: one pure-JS SHA-256 per session id, fed in the order the page sent the bytes. */
export function serveSha256(port: HashPort<PageToHasher, HasherToPage>): void {
  const sessions = new Map<number, SyncSha256>();
  const session = (id: number): SyncSha256 => {
    let hasher = sessions.get(id);
    if (!hasher) sessions.set(id, (hasher = createSha256()));
    return hasher;
  };
  port.onmessage = ({ data: message }) => {
    if (message.type === "update") {
      session(message.id).update(new Uint8Array(message.bytes));
      port.postMessage({ type: "hashed", id: message.id, bytes: message.bytes.byteLength });
      return;
    }
    const hasher = session(message.id);
    sessions.delete(message.id);
    port.postMessage({ type: "digest", id: message.id, digest: hasher.digest() });
  };
}
