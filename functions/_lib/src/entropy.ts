import { InternalSubjects, type EntropyReply } from "@natster/protocol";
import { requestJson } from "nex-fn";

/**
 * Cryptographic randomness from the entropy service (a workload on the host side): V8 under Nex
 * has no crypto, and Math.random is not fit for ids or login codes.
 */
export function randomBytes(count: number): number[] {
  const { hex } = requestJson<Partial<EntropyReply>>(InternalSubjects.entropy, { bytes: count });
  if (typeof hex !== "string" || hex.length !== count * 2 || !/^[0-9a-f]*$/.test(hex)) {
    throw new Error("the entropy service gave no randomness");
  }
  return (hex.match(/../g) ?? []).map((pair) => parseInt(pair, 16));
}

export const randomHex = (count: number): string =>
  randomBytes(count)
    .map((b) => (b + 256).toString(16).slice(1))
    .join("");
