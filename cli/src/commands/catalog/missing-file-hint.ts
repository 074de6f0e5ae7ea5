import { NatsterError } from "@natster/protocol";

/**
 * A catalog server answers an unknown hash with upstream's words ("Requested File Not Found"); the
 * person also needs to know which catalog and hash that was, and where to look up what it serves.
 */
export function withMissingFileHint(error: unknown, asked: { catalog: string; hash: string }): unknown {
  if (!(error instanceof NatsterError) || error.code !== "NOT_FOUND") return error;
  return new NatsterError(
    "NOT_FOUND",
    `catalog '${asked.catalog}' serves no file with SHA-256 ${asked.hash} (${error.message}): ` +
      `see what it serves with: natster catalog contents ${asked.catalog}`,
  );
}
