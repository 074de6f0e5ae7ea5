import { createCurve } from "@nats-io/nkeys";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CatalogEntry, CatalogFile } from "@natster/catalog";

export const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** Writes `<home>/<name>.json` directly (no files behind it), as a huge or hand-edited catalog would be. */
export function writeCatalogFile(home: string, name: string, rootDir: string, entries: CatalogEntry[]): void {
  const catalog: CatalogFile = {
    name,
    root_dir: rootDir,
    description: "synthetic",
    last_modified: 1,
    entries,
    x_index: {},
  };
  writeFileSync(join(home, `${name}.json`), JSON.stringify(catalog));
}

export const syntheticEntries = (count: number): CatalogEntry[] =>
  Array.from({ length: count }, (_, i) => ({
    path: `/dir${i % 100}/file-${String(i).padStart(6, "0")}.mp4`,
    description: "Auto-imported library entry",
    mime_type: "video/mp4",
    byte_size: i,
    hash: sha256(String(i)),
  }));

/** A well-formed v2 download request, for refusals that happen before any transfer starts. */
export const downloadRequest = (hash: string) => ({
  version: 2,
  hash,
  receiver_xkey: createCurve().getPublicKey(),
  transfer_id: "0".repeat(32),
});
