import type { DownloadResult } from "@natster/transfer";

/** Who checked a finished download's SHA-256, said beside the row's "SHA-256 verified". */
export function verificationNote(verified: DownloadResult["verified"] | undefined): string | undefined {
  switch (verified) {
    case "sender-sha256":
      return "The catalog server hashed the file as it sent it; that SHA-256, sealed in the encrypted transfer, matched the catalog's.";
    case "sha256":
      return "This page hashed the file; its SHA-256 matched the catalog's.";
    default:
      return undefined;
  }
}
