import { describe, expect, it } from "vitest";
import { payloadJson, payloadText } from "../src/ascii-json.ts";

const enc = new TextEncoder();
const long = (tail: string) => `${"x".repeat(20_000)}${tail}`;

describe("payloadText (no TextDecoder under Nex)", () => {
  it.each([
    ["empty", ""],
    ["ASCII", '{"a":[1,2,"b c"]}'],
    ["ASCII over several chunks", long("end")],
    ["UTF-8 in the first chunk", "é ü 日本 😀"],
    ["UTF-8 after several ASCII chunks", long("é😀")],
  ])("given %s bytes, when decoded, then it is the UTF-8 text", (_what, text) => {
    expect(payloadText(enc.encode(text))).toBe(text);
  });

  it("given a plain array of bytes, when decoded, then it is the UTF-8 text", () => {
    expect(payloadText([...enc.encode("ab é")])).toBe("ab é");
  });

  it("given a JSON payload, when parsed, then it is the value", () => {
    expect(payloadJson(enc.encode(JSON.stringify({ values: ['{"k":1}', null], last_seq: 3 })))).toEqual({
      values: ['{"k":1}', null],
      last_seq: 3,
    });
  });
});
