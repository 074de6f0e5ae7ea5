import { describe, expect, it } from "vitest";
import { asciiJsonBytes, asciiText, json, latin1, text, utf8 } from "../src/index.ts";
import { foreignBytes, hostWrite } from "./fake-host.ts";

const SAMPLES = ["", "plain ascii", "café é", "日本語", "emoji 😀🎬", 'mixed é日😀\u007f\u0000\n"quoted"'];

/** Deterministic PRNG so the property checks are reproducible. */
function rng(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
}

function randomString(next: () => number, length: number): string {
  const pools = [0x7f, 0x7ff, 0xffff, 0x10ffff];
  let s = "";
  for (let i = 0; i < length; i++) s += String.fromCodePoint(Math.floor(next() * ((pools[i % 4] as number) + 1)));
  return s; // includes lone surrogates from the BMP pool
}

describe("utf8 and text", () => {
  it.each(SAMPLES)("given %j, when encoded then decoded, then it round-trips", (s) => {
    expect(text(utf8(s))).toBe(s);
  });

  it("given random strings, when encoded, then the bytes match TextEncoder (lone surrogates become U+FFFD)", () => {
    const next = rng(42);
    for (let n = 0; n < 200; n++) {
      const s = randomString(next, 1 + Math.floor(next() * 40));
      const expected = new TextEncoder().encode(s);
      expect(Array.from(utf8(s))).toEqual(Array.from(expected));
      expect(text(expected)).toBe(new TextDecoder().decode(expected));
    }
  });

  it("given malformed UTF-8, when decoded, then bad sequences become U+FFFD and the rest survives", () => {
    expect(text([0x41, 0x80, 0x42])).toBe("A\ufffdB");
    expect(text([0xff])).toBe("\ufffd");
    expect(text([0xe6, 0x97])).toBe("\ufffd");
    expect(text([0xc3, 0x41])).toBe("\ufffdA");
  });

  it("given bytes from another realm, when decoded, then it works without instanceof", () => {
    const bytes = foreignBytes(new TextEncoder().encode("日本 é"));
    expect(bytes instanceof Uint8Array).toBe(false);
    expect(text(bytes)).toBe("日本 é");
    expect(json(foreignBytes(utf8('{"a":"é"}')))).toEqual({ a: "é" });
  });

  it("given a large payload, when decoded, then no stack overflow", () => {
    const big = utf8("é".repeat(300_000));
    expect(text(big)).toHaveLength(300_000);
    expect(latin1(new Uint8Array(300_000))).toHaveLength(300_000);
  });
});

describe("latin1", () => {
  it("given bytes, when decoded, then each byte is one char code", () => {
    expect(latin1([0x68, 0x69, 0xe9, 0xff])).toBe("hi\u00e9\u00ff");
  });
});

describe("asciiJsonBytes", () => {
  const value = { name: "café", jp: "日本", emoji: "🎬😀", list: [1, "é"], nested: { clé: true }, del: "\u007f" };

  it("given non-ASCII values, when encoded, then every byte is below 0x80", () => {
    expect(Array.from(asciiJsonBytes(value)).every((b) => b < 0x80)).toBe(true);
  });

  it("given the encoded bytes, when decoded and parsed, then the value comes back", () => {
    expect(JSON.parse(text(asciiJsonBytes(value)))).toEqual(value);
  });

  it("given the host's lossy byte conversion, when the bytes are written, then they survive unchanged", () => {
    const bytes = asciiJsonBytes(value);
    expect(Array.from(hostWrite(bytes))).toEqual(Array.from(bytes));
    expect(Array.from(hostWrite(utf8("é")))).not.toEqual(Array.from(utf8("é")));
  });

  it("given undefined, when encoded, then it is null", () => {
    expect(text(asciiJsonBytes(undefined))).toBe("null");
  });
});

describe("asciiText", () => {
  it("given ASCII, when encoded, then the bytes are the char codes", () => {
    expect(Array.from(asciiText("ok\n"))).toEqual([0x6f, 0x6b, 0x0a]);
  });

  it("given non-ASCII, when encoded, then it throws instead of letting the host mangle it", () => {
    expect(() => asciiText("é")).toThrow(RangeError);
  });
});
