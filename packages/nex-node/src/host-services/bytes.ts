import { isAscii } from "node:buffer";

/**
 * The bytes the 0.x host receives for a Uint8Array a function passes: the agent runs
 * `String.fromCharCode(...arr)` and Go's `[]byte(string)` UTF-8-encodes each char code, so every
 * byte >= 0x80 becomes two bytes (U+0080..U+00FF in UTF-8). ASCII passes through unchanged.
 */
export function mangleLikeNexHost(bytes: Uint8Array): Uint8Array {
  // Nearly every value is ASCII JSON (a projection call writes megabytes): checked natively.
  if (isAscii(bytes)) return bytes;
  let high = 0;
  for (const b of bytes) if (b >= 0x80) high++;
  const out = new Uint8Array(bytes.length + high);
  let i = 0;
  for (const b of bytes) {
    if (b < 0x80) {
      out[i++] = b;
    } else {
      out[i++] = 0xc0 | (b >> 6);
      out[i++] = 0x80 | (b & 0x3f);
    }
  }
  return out;
}
