import { NatsterError } from "./errors.ts";

/**
 * A catalog server's refusal (403), worded the same by every command that asks it: named after the
 * catalog, with the server's reason only when it says more than the bare status text "Forbidden".
 */
export function notSharedError(catalog: string, reason: string): NatsterError {
  const detail = /^forbidden$/i.test(reason.trim()) ? "" : `: ${reason}`;
  return new NatsterError("FORBIDDEN", `catalog '${catalog}' is not shared with you (any more)${detail}`);
}
