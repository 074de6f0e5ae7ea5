import { text } from "nex-fn";

/** Bytes per String.fromCharCode.apply call: far below any engine's argument limit. */
const CHUNK = 8192;
/** Each char is one byte here (0 to 255): one at or above 0x80 means the text is not ASCII. */
const NOT_ASCII = /[\u0080-\u00ff]/;

/**
 * UTF-8 text of a host payload, fast for the ASCII that the bridge's batches and KV replies nearly
 * always are: whole chunks go through String.fromCharCode and one native scan checks for non-ASCII
 * (a byte-by-byte scan in a fresh context was the largest part of a projection call). Anything
 * else is decoded by nex-fn's `text`.
 */
export function payloadText(u8: ArrayLike<number>): string {
  const view = typeof (u8 as { subarray?: unknown }).subarray === "function" ? (u8 as Uint8Array) : undefined;
  if (!view) return text(u8);
  let out = "";
  for (let i = 0; i < view.length; i += CHUNK)
    out += String.fromCharCode.apply(null, view.subarray(i, i + CHUNK) as unknown as number[]);
  return NOT_ASCII.test(out) ? text(u8) : out;
}

/** A host payload's JSON (the type is trusted, not checked). */
export const payloadJson = <T>(u8: ArrayLike<number>): T => JSON.parse(payloadText(u8)) as T;
