import { describe, expect, it } from "vitest";
import { canonicalHeaderName, isLoopbackUrl } from "./http.ts";

describe("the http host service's rules", () => {
  it("given URLs, when checked, then only loopback http(s) is allowed", () => {
    expect(
      ["http://127.0.0.1:8080/x", "http://localhost/", "https://[::1]:9/"].every((u) => isLoopbackUrl(new URL(u))),
    ).toBe(true);
    expect(
      ["http://example.com/", "http://10.0.0.1/", "ftp://127.0.0.1/", "http://127.0.0.2/"].some((u) =>
        isLoopbackUrl(new URL(u)),
      ),
    ).toBe(false);
  });

  it("given fetch's lower-case header names, when canonicalized, then they read like Go's", () => {
    expect(canonicalHeaderName("content-type")).toBe("Content-Type");
    expect(canonicalHeaderName("x-nex-hs-code")).toBe("X-Nex-Hs-Code");
  });
});
