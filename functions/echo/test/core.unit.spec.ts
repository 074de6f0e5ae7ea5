import { describe, expect, it } from "vitest";
import { echo } from "../src/core.ts";

describe("echo core", () => {
  it("given a subject and a payload, when echoed, then both come back", () => {
    expect(echo("fn.echo", "héllo 日本")).toEqual({ triggered_on: "fn.echo", payload: "héllo 日本" });
  });

  it("given an empty payload, when echoed, then the payload is an empty string", () => {
    expect(echo("a.b", "")).toEqual({ triggered_on: "a.b", payload: "" });
  });
});
