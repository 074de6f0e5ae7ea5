import { createSha256, type SyncSha256 } from "@natster/transfer";
import { createSHA256 } from "hash-wasm";

/**
 * SHA-256 in WebAssembly (hash-wasm): about twice as fast as the pure-JS one, which is what the
 * page's hash worker spends most of its CPU on. Falls back to the pure-JS hasher where the
 * browser refuses WebAssembly.
 */
export async function createWasmSha256(): Promise<SyncSha256> {
  const hasher = await createSHA256().catch(() => undefined);
  if (!hasher) return createSha256();
  hasher.init();
  return {
    update(data) {
      hasher.update(data);
    },
    digest: () => hasher.digest("binary"),
  };
}
