import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { Objm } from "@nats-io/obj";
import { readFile } from "node:fs/promises";
import type { ArtifactLocation } from "../control/location.ts";
import { hashMatches, sha256Hex } from "./hash.ts";

/** Downloads an artifact and checks it against the hash the deployer signed. */
export async function fetchArtifact(
  nc: NatsConnection,
  location: ArtifactLocation,
  hash: string,
  jsDomain?: string,
): Promise<Uint8Array> {
  const bytes =
    location.kind === "file"
      ? await readLocalFile(location.path)
      : await readObject(nc, location.bucket, location.key, jsDomain);
  if (!hashMatches(bytes, hash)) {
    throw new Error(`artifact hash mismatch: the request claims ${hash}, the artifact is sha256 ${sha256Hex(bytes)}`);
  }
  return bytes;
}

async function readLocalFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new Error(`cannot read artifact ${path}: ${(e as Error).message}`);
  }
}

async function readObject(nc: NatsConnection, bucket: string, key: string, domain?: string): Promise<Uint8Array> {
  let bytes: Uint8Array | null;
  try {
    const store = await new Objm(jetstream(nc, domain ? { domain } : {})).open(bucket);
    bytes = await store.getBlob(key);
  } catch (e) {
    throw new Error(`cannot fetch artifact nats://${bucket}/${key}: ${(e as Error).message}`);
  }
  if (!bytes) throw new Error(`artifact nats://${bucket}/${key} does not exist`);
  return bytes;
}
