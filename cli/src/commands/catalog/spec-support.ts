import { NatsterError, type CatalogEntry } from "@natster/protocol";

/** Test support for the catalog commands' specs. */
export const SOME_HASH = "ab".repeat(32);

/** A catalog entry at `path`. */
export const entryAt = (path: string, hash = SOME_HASH): CatalogEntry => ({
  path,
  description: "",
  mime_type: "video/mp4",
  byte_size: 1,
  hash,
});

/** The NatsterError `act` throws; anything else (or nothing) fails the spec. */
export function refusal(act: () => unknown): NatsterError {
  try {
    act();
  } catch (error) {
    if (error instanceof NatsterError) return error;
    throw error;
  }
  throw new Error("nothing was refused");
}
