import { describe, expect, it } from "vitest";
import { goUrl, parseLocation } from "./location.ts";

describe("artifact locations", () => {
  it("given the three accepted forms, when parsed, then they name the same kinds of place", () => {
    expect(parseLocation("nats://NEXCLIFILES/echofunctionjs")).toEqual({
      kind: "object",
      bucket: "NEXCLIFILES",
      key: "echofunctionjs",
    });
    expect(parseLocation(goUrl("NEXCLIFILES", "echofunctionjs"))).toEqual({
      kind: "object",
      bucket: "NEXCLIFILES",
      key: "echofunctionjs",
    });
    expect(parseLocation("file:///opt/work/ticker.cjs")).toEqual({ kind: "file", path: "/opt/work/ticker.cjs" });
  });

  it("given anything else, when parsed, then it is refused with the expected form", () => {
    expect(() => parseLocation("https://example.com/x")).toThrow(/nats:\/\/BUCKET\/key/);
    expect(() => parseLocation("nats://NEXCLIFILES/")).toThrow(/nats:\/\/BUCKET\/key/);
    expect(() => parseLocation(undefined)).toThrow(/required/);
    expect(() => parseLocation("not a url")).toThrow(/not a URL/);
  });
});
