import { describe, expect, it } from "vitest";
import { mangleLikeNexHost } from "./bytes.ts";

/** What the 0.x agent does: String.fromCharCode(...arr), then Go's []byte(string), i.e. UTF-8. */
const realHost = (bytes: Uint8Array) => new Uint8Array(Buffer.from(String.fromCharCode(...bytes), "utf8"));

describe("bytes a function hands to a host service", () => {
  it("given ASCII bytes, when passed to the host, then they arrive unchanged", () => {
    const ascii = new TextEncoder().encode('{"note":"h\\u00e9llo"}');
    expect(mangleLikeNexHost(ascii)).toEqual(ascii);
  });

  it("given every byte value, when passed to the host, then each arrives as the real host mangles it", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(mangleLikeNexHost(all)).toEqual(realHost(all));
  });

  it("given the UTF-8 of é, when passed to the host, then each of its two bytes doubles", () => {
    expect(Array.from(mangleLikeNexHost(new TextEncoder().encode("é")))).toEqual([0xc3, 0x83, 0xc2, 0xa9]);
    expect(Array.from(mangleLikeNexHost(new Uint8Array([0x68, 0xe9])))).toEqual([0x68, 0xc3, 0xa9]);
  });
});
