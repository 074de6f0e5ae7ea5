import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { Sha256, Sha256Factory, SyncSha256 } from "../sha256.ts";

/** node:crypto's SHA-256 behind the package's incremental interface. */
export const nodeSha256 = (): SyncSha256 => {
  const hash = createHash("sha256");
  return {
    update: (data) => void hash.update(data),
    digest: () => new Uint8Array(hash.digest()),
  };
};

/** A hasher already fed with the first `length` bytes of `path` (streamed: constant memory). */
export async function hashFilePrefix(
  path: string,
  length: number,
  factory: Sha256Factory = nodeSha256,
): Promise<Sha256> {
  const hasher = factory();
  if (length === 0) return hasher;
  for await (const chunk of createReadStream(path, { start: 0, end: length - 1, highWaterMark: 1024 * 1024 })) {
    await hasher.update(chunk as Buffer);
  }
  return hasher;
}
