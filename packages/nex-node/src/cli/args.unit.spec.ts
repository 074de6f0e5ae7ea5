import { describe, expect, it } from "vitest";
import { devrunKey } from "../client/upload.ts";
import { parseDurationMs, parseEnvPairs, splitArgv } from "./args.ts";

describe("CLI arguments", () => {
  it("given KEY=VALUE pairs, when parsed, then values may hold '=' and bad pairs are refused", () => {
    expect(parseEnvPairs(["A=1", "URL=nats://x?a=b"])).toEqual({ A: "1", URL: "nats://x?a=b" });
    expect(() => parseEnvPairs(["novalue"])).toThrow(/KEY=VALUE/);
  });

  it("given Go durations or milliseconds, when parsed, then they are milliseconds", () => {
    expect([parseDurationMs("500ms"), parseDurationMs("2s"), parseDurationMs("1m"), parseDurationMs("750")]).toEqual([
      500, 2_000, 60_000, 750,
    ]);
    expect(() => parseDurationMs("soon")).toThrow(/not a duration/);
  });

  it("given a devrun file, when keyed, then dots are dropped from its basename", () => {
    expect(devrunKey("/tmp/fns/echofunction.js")).toBe("echofunctionjs");
    expect(splitArgv(" --port  8080 ")).toEqual(["--port", "8080"]);
  });
});
