import { createSha256, type SyncSha256 } from "./sha256.ts";
import type { HasherToPage, HashPort, PageToHasher } from "./sha256-messages.ts";

/** A session's hasher, or the promise of one while it is being created (its updates chain on it, in order). */
type Slot = SyncSha256 | Promise<SyncSha256>;

/**
 * The worker's side: one SHA-256 per session id, fed in the order the page sent the bytes.
 * `createHasher` may be asynchronous (a WebAssembly instance): messages that arrive meanwhile
 * chain on the promise, so the order still holds.
 */
export function serveSha256(port: HashPort<PageToHasher, HasherToPage>, createHasher: () => Slot = createSha256): void {
  const sessions = new Map<number, Slot>();
  const withHasher = (id: number, work: (hasher: SyncSha256) => void): void => {
    const slot = sessions.get(id) ?? createHasher();
    if (slot instanceof Promise) {
      sessions.set(
        id,
        slot.then((hasher) => (work(hasher), hasher)),
      );
    } else {
      sessions.set(id, slot);
      work(slot);
    }
  };
  port.onmessage = ({ data: message }) => {
    const { id } = message;
    if (message.type === "drop") return void sessions.delete(id);
    if (message.type === "update") {
      const { buffer, length } = message;
      withHasher(id, (hasher) => {
        hasher.update(new Uint8Array(buffer, 0, length));
        port.postMessage({ type: "hashed", id, buffer, length }, [buffer]);
      });
      return;
    }
    withHasher(id, (hasher) => {
      sessions.delete(id);
      port.postMessage({ type: "digest", id, digest: hasher.digest() });
    });
  };
}
