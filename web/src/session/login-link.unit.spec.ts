import { describe, expect, it } from "vitest";
import { parseLoginLink } from "./login-link.ts";

const KEY = "q2lV3Gz0kYpXnT8aW1sR4dFh6jL9mB7cE5uI0oPzQyA";
const CODE = "7k3m9q2x4v8b6n1p0z5c";

describe("parseLoginLink", () => {
  it("given /login/<code>#k=<key>, then the code and the key", () => {
    expect(parseLoginLink(`/login/${CODE}`, `#k=${KEY}`)).toEqual({ code: CODE, key: KEY });
  });

  it("given the hash-routed form /#/login/<code>#k=<key>, then the same", () => {
    expect(parseLoginLink("/", `#/login/${CODE}#k=${KEY}`)).toEqual({ code: CODE, key: KEY });
  });

  it("given a link cut before its fragment, then the code without a key", () => {
    expect(parseLoginLink(`/login/${CODE}`, "")).toEqual({ code: CODE, key: "" });
  });

  it("given any other page, then it is not a login link", () => {
    expect(parseLoginLink("/", "")).toBeUndefined();
    expect(parseLoginLink("/catalog/films", "#k=x")).toBeUndefined();
  });

  it("given a code with odd characters, then it is rejected as damaged", () => {
    expect(parseLoginLink("/login/%E0%A4%A", `#k=${KEY}`)).toEqual({ code: "", key: "" });
    expect(parseLoginLink("/login/a.b", `#k=${KEY}`)).toEqual({ code: "", key: "" });
  });
});
