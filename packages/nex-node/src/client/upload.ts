import type { NatsConnection } from "@nats-io/nats-core";
import { Objm } from "@nats-io/obj";
import { sha256Hex } from "../artifacts/hash.ts";
import { NEXCLIFILES_BUCKET, NEXCLIFILES_MAX_BYTES } from "../limits.ts";

export type UploadedArtifact = { location: string; hash: string; bucket: string; key: string; bytes: number };

/** `nex devrun`'s object key: the file's basename with every dot removed (`echofunction.js` → `echofunctionjs`). */
export function devrunKey(path: string): string {
  return (path.split("/").pop() ?? path).replace(/\./g, "");
}

/** Puts an artifact into the NEXCLIFILES object store (created on first use), as `nex devrun` does. */
export async function uploadArtifact(
  nc: NatsConnection,
  key: string,
  bytes: Uint8Array,
  opts: { bucket?: string; maxBytes?: number } = {},
): Promise<UploadedArtifact> {
  const bucket = opts.bucket ?? NEXCLIFILES_BUCKET;
  const store = await new Objm(nc).create(bucket, { max_bytes: opts.maxBytes ?? NEXCLIFILES_MAX_BYTES });
  await store.putBlob({ name: key }, bytes);
  return { location: `nats://${bucket}/${key}`, hash: sha256Hex(bytes), bucket, key, bytes: bytes.byteLength };
}
