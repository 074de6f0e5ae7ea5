import { describe, expect, it } from "vitest";
import { cacheControl, contentSecurityPolicy, routeRequest } from "./routes.ts";

describe("routeRequest", () => {
  it("given app paths, including a login link, then the single-page app", () => {
    for (const path of ["/", "/login/7k3m9q2x4v8b6n1p0z5c", "/login/abc/", "/catalog/films?x=1"])
      expect(routeRequest(path)).toEqual({ kind: "app" });
  });

  it("given built files, then those files", () => {
    expect(routeRequest("/assets/index-abc.js")).toEqual({ kind: "file", path: "assets/index-abc.js" });
    expect(routeRequest("/sw.js")).toEqual({ kind: "file", path: "sw.js" });
    expect(routeRequest("/index.html?v=2")).toEqual({ kind: "file", path: "index.html" });
  });

  it("given /stack.json and media streams, then their own routes", () => {
    expect(routeRequest("/stack.json")).toEqual({ kind: "stack" });
    expect(routeRequest("/media/films/abc/1")).toEqual({ kind: "media" });
  });

  it("given traversal, encoded tricks or dotfiles, then not found", () => {
    for (const path of [
      "/../etc/passwd",
      "/assets/../../x.js",
      "/%2e%2e/x.js",
      "/a%00.js",
      "/.env",
      "/assets/.hidden.js",
      "/a\\b.js",
      "/%E0%A4%A",
    ]) {
      expect(routeRequest(path)).toEqual({ kind: "not-found" });
    }
  });
});

describe("headers", () => {
  it("given hashed assets, then immutable caching; the shell and the worker are revalidated", () => {
    expect(cacheControl("assets/index-abc.js")).toContain("immutable");
    expect(cacheControl("index.html")).toBe("no-cache");
    expect(cacheControl("sw.js")).toBe("no-cache");
  });

  it("given the NATS websocket URL, then the CSP lets the page connect there and nowhere else", () => {
    const csp = contentSecurityPolicy("ws://127.0.0.1:4223");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:4223");
    expect(csp).toContain("script-src 'self'");
  });

  it("given every websocket URL of a cluster, then the CSP lets the page fail over to each of them", () => {
    const csp = contentSecurityPolicy(["ws://127.0.0.1:4223", "ws://127.0.0.1:4233", "ws://127.0.0.1:4243"]);
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:4223 ws://127.0.0.1:4233 ws://127.0.0.1:4243;");
  });
});
