import { describe, expect, it } from "vitest";
import { entropyReply } from "./service.ts";

const ask = (body: string, random?: (n: number) => Uint8Array) => entropyReply(new TextEncoder().encode(body), random);

describe("entropy service", () => {
  it("given {bytes: 16}, when asked, then it replies 32 lower-case hex chars", () => {
    const reply = ask('{"bytes":16}');
    expect(reply).toEqual({ hex: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown });
  });

  it("given a fixed source, when asked, then the hex is exactly those bytes", () => {
    expect(ask('{"bytes":3}', () => Uint8Array.of(0, 15, 255))).toEqual({ hex: "000fff" });
  });

  it("given two requests, when asked, then the answers differ", () => {
    expect(ask('{"bytes":32}')).not.toEqual(ask('{"bytes":32}'));
  });

  it.each(["0", "65", "1.5", '"8"', "null", "-1"])("given bytes %s, when asked, then 400 BAD_REQUEST", (bytes) => {
    expect(ask(`{"bytes":${bytes}}`)).toMatchObject({ code: 400, data: null, error_code: "BAD_REQUEST" });
  });

  it.each(["", "{", "not json", "\u00ff"])("given the body %j, when asked, then 400 BAD_JSON", (body) => {
    expect(ask(body)).toMatchObject({ code: 400, error_code: "BAD_JSON" });
  });

  it.each(["{}", "[]", "null", "7"])("given %s without bytes, when asked, then 400 BAD_REQUEST", (body) => {
    expect(ask(body)).toMatchObject({ code: 400, error_code: "BAD_REQUEST" });
  });

  it("given the limits, when asked for 1 and 64 bytes, then both are served", () => {
    expect(ask('{"bytes":1}')).toEqual({ hex: expect.stringMatching(/^[0-9a-f]{2}$/) as unknown });
    expect(ask('{"bytes":64}')).toEqual({ hex: expect.stringMatching(/^[0-9a-f]{128}$/) as unknown });
  });
});
