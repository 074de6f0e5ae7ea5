import { NatsterError, SHA256_HEX } from "@natster/protocol";

/** A file's hash as the commands take it: 64 lowercase hex characters, as `catalog contents` lists them. */
export function fileHash(raw: string, catalog: string): string {
  if (!SHA256_HEX.test(raw))
    throw new NatsterError(
      "BAD_REQUEST",
      `'${raw}' is not a SHA-256 (64 lowercase hex characters; see natster catalog contents ${catalog})`,
    );
  return raw;
}
