import { HTTP_TIMEOUT_MS } from "../limits.ts";
import { HostServiceFailure } from "./errors.ts";
import { jsonOk, type HostService } from "./service.ts";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);
const WITH_BODY = new Set(["post", "put", "patch", "delete"]);
const METHODS = new Set(["get", "head", ...WITH_BODY]);

/** The local node reaches only this machine: there is no internet here, and functions must not probe the LAN. */
export function isLoopbackUrl(url: URL): boolean {
  return (url.protocol === "http:" || url.protocol === "https:") && LOOPBACK_HOSTS.has(url.hostname);
}

/** Go's `http.CanonicalHeaderKey`: `content-type` → `Content-Type`. */
export function canonicalHeaderName(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

/**
 * `http.get/post/put/patch/delete/head` (host-services/builtins/http.go, 2.5 s timeout). As on the
 * real host, request headers cannot be set and POST/PUT/PATCH/DELETE drop the query string.
 */
export function httpService(): HostService {
  return async (call) => {
    if (!METHODS.has(call.method)) throw new HostServiceFailure(400, "Received invalid host services RPC request");
    let url: URL;
    try {
      url = new URL(call.url ?? "");
    } catch {
      throw new HostServiceFailure(400, "failed to parse url for http RPC request");
    }
    if (!isLoopbackUrl(url))
      throw new HostServiceFailure(403, `the local Nex node allows http only to loopback, not ${url.host}`);
    const withBody = WITH_BODY.has(call.method);
    if (withBody) url.search = "";
    let res: Response;
    try {
      res = await fetch(url, {
        method: call.method.toUpperCase(),
        body: withBody && call.value ? call.value : undefined,
        signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
        redirect: "manual",
      });
    } catch (e) {
      throw new HostServiceFailure(500, `http request failed: ${(e as Error).message}`);
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      const key = canonicalHeaderName(name);
      headers[key] = headers[key] ? `${headers[key]}, ${value}` : value;
    });
    const body = call.method === "head" ? "" : await res.text();
    return jsonOk({ status: res.status, headers, response: body.length > 0 ? body : null });
  };
}
