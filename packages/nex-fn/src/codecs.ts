/**
 * Byte codecs for a V8 context without TextEncoder/TextDecoder. Inputs are typed `ArrayLike`
 * because host-made Uint8Arrays come from another realm, where `instanceof Uint8Array` fails.
 * Strings are built with `+=` (V8 ropes make that linear) rather than spreading arrays into
 * `String.fromCharCode`, which overflows the stack on large payloads.
 */

type Bytes = ArrayLike<number>;

/** Each byte as one char: what `String.fromCharCode(...u8)` gives, without the stack limit. */
export function latin1(u8: Bytes): string {
  let out = "";
  for (let i = 0; i < u8.length; i++) out += String.fromCharCode(u8[i] as number);
  return out;
}

/** Chars per `String.fromCharCode.apply` call: far below any engine's argument limit. */
const RUN = 8192;

/** UTF-8 decode. Malformed sequences become U+FFFD (overlongs and surrogates are not rejected). */
export function text(u8: Bytes): string {
  let out = "";
  const n = u8.length;
  // A typed array (of any realm) hands its own view to apply; copying a run into an Array first
  // was most of the decode time of a 1 MB projection batch.
  const view = typeof (u8 as { subarray?: unknown }).subarray === "function" ? (u8 as Uint8Array) : undefined;
  for (let i = 0; i < n; ) {
    // ASCII runs in one call each: a char at a time is slow on large payloads (batched projections).
    let end = i;
    const limit = Math.min(n, i + RUN);
    while (end < limit && (u8[end] as number) < 0x80) end++;
    if (end > i) {
      const run = view ? view.subarray(i, end) : (Array.prototype.slice.call(u8, i, end) as number[]);
      out += String.fromCharCode.apply(null, run as unknown as number[]);
      i = end;
      continue;
    }
    let cp = u8[i++] as number;
    let extra = cp < 0x80 ? 0 : cp < 0xc0 ? -1 : cp < 0xe0 ? 1 : cp < 0xf0 ? 2 : cp < 0xf8 ? 3 : -1;
    // Lead-byte payload masks: 0x7f, 0x1f, 0x0f, 0x07 for 0..3 continuation bytes.
    cp &= 0x7f >> (extra && extra + 1);
    // Ends at -1 when all continuation bytes were there; below -1 for a bad lead or a short sequence.
    while (extra-- > 0) {
      const c = u8[i] as number;
      // Not a 10xxxxxx continuation byte (undefined, past the end, shifts to 0).
      if (c >> 6 !== 2) {
        extra = -9;
        break;
      }
      cp = (cp << 6) | (c & 0x3f);
      i++;
    }
    out += String.fromCodePoint(extra < -1 || cp > 0x10ffff ? 0xfffd : cp);
  }
  return out;
}

/** UTF-8 encode. Lone surrogates become U+FFFD. */
export function utf8(str: string): Uint8Array {
  const out: number[] = [];
  for (const ch of str) {
    let cp = ch.codePointAt(0) as number;
    if (cp >> 11 === 0x1b) cp = 0xfffd;
    let extra = cp < 0x80 ? 0 : cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3;
    // Lead byte: 0xc0, 0xe0 or 0xf0 announces 1, 2 or 3 continuation bytes.
    out.push(extra ? (256 - (128 >> extra)) | (cp >> (6 * extra)) : cp);
    while (extra--) out.push(0x80 | ((cp >> (6 * extra)) & 0x3f));
  }
  return new Uint8Array(out);
}

/** Bytes of an ASCII string. Throws on anything else rather than let the host mangle it. */
export function asciiText(str: string): Uint8Array {
  const out = new Uint8Array(str.length);
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c > 0x7f) throw new RangeError("nex-fn: not ASCII");
    out[i] = c;
  }
  return out;
}

/**
 * `JSON.stringify` with every char above 0x7E escaped as \uXXXX, as bytes. Use it for every host
 * write: the host turns each byte >= 0x80 into two. `undefined` is written as `null`.
 */
export function asciiJsonBytes(value: unknown): Uint8Array {
  const s = JSON.stringify(value) ?? "null";
  return asciiText(s.replace(/[\u007f-\uffff]/g, (c) => "\\u" + (c.charCodeAt(0) + 0x10000).toString(16).slice(1)));
}

/** Parse a UTF-8 JSON payload. The type is trusted, not checked. */
export function json<T>(u8: Bytes): T {
  return JSON.parse(text(u8)) as T;
}
