import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { contentType } from "mime-types";
import { cacheControl, contentSecurityPolicy, routeRequest } from "./routes.ts";

/** What the page fetches from `/stack.json`: public by design (the public user may only claim login codes). */
export type WebStackJson = { ws_url: string; ws_urls?: string[]; public_creds: string };

export type WebServerOptions = { host?: string; port: number; distDir: string; stackJson: WebStackJson };
export type WebServer = { url: string; stop(): Promise<void> };

/**
 * Serves the built web app (web/dist) on loopback, or on the address the operator chose with
 * `natster up --listen`: static files with their mime types, the app
 * for every other path (SPA fallback, so `/login/<code>` works), and `/stack.json`.
 */
export async function startWebServer({
  host = "127.0.0.1",
  port,
  distDir,
  stackJson,
}: WebServerOptions): Promise<WebServer> {
  const wsUrls = stackJson.ws_urls && stackJson.ws_urls.length > 0 ? stackJson.ws_urls : [stackJson.ws_url];
  const csp = contentSecurityPolicy(wsUrls);
  const stackBody = JSON.stringify({ ws_url: stackJson.ws_url, ws_urls: wsUrls, public_creds: stackJson.public_creds });
  const server = createServer((req, res) => {
    handle(req, res, { distDir, csp, stackBody }).catch(() => {
      if (!res.headersSent) send(res, 500, "text/plain; charset=utf-8", "internal error");
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port }, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

type Context = { distDir: string; csp: string; stackBody: string };

async function handle(req: IncomingMessage, res: ServerResponse, ctx: Context): Promise<void> {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("Allow", "GET, HEAD");
    return send(res, 405, "text/plain; charset=utf-8", "method not allowed");
  }
  const route = routeRequest(req.url ?? "/");
  switch (route.kind) {
    case "stack":
      res.setHeader("Cache-Control", "no-store");
      return send(res, 200, "application/json; charset=utf-8", ctx.stackBody, req.method === "HEAD");
    case "media":
      res.setHeader("Cache-Control", "no-store");
      return send(
        res,
        404,
        "text/plain; charset=utf-8",
        "media streams are answered by the page's service worker; reload the page",
      );
    case "not-found":
      return send(res, 404, "text/plain; charset=utf-8", "not found");
    case "file":
      if (await serveFile(req, res, ctx, route.path)) return;
      return send(res, 404, "text/plain; charset=utf-8", "not found");
    case "app":
      if (await serveFile(req, res, ctx, "index.html")) return;
      return send(res, 503, "text/plain; charset=utf-8", "the web app is not built: run `natster up` (or buildWeb())");
  }
}

async function serveFile(req: IncomingMessage, res: ServerResponse, ctx: Context, relPath: string): Promise<boolean> {
  const fullPath = join(ctx.distDir, relPath);
  const info = await stat(fullPath).catch(() => undefined);
  if (!info?.isFile()) return false;
  res.statusCode = 200;
  res.setHeader("Content-Type", contentType(relPath.split("/").at(-1) ?? relPath) || "application/octet-stream");
  res.setHeader("Content-Length", String(info.size));
  res.setHeader("Cache-Control", cacheControl(relPath));
  if (relPath === "index.html") res.setHeader("Content-Security-Policy", ctx.csp);
  if (relPath === "sw.js") res.setHeader("Service-Worker-Allowed", "/");
  if (req.method === "HEAD") {
    res.end();
    return true;
  }
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(fullPath);
    stream.once("error", reject);
    res.once("close", () => resolve());
    stream.pipe(res);
  });
  return true;
}

function send(res: ServerResponse, status: number, type: string, body: string, headOnly = false): void {
  res.statusCode = status;
  res.setHeader("Content-Type", type);
  res.setHeader("Content-Length", String(Buffer.byteLength(body)));
  res.end(headOnly ? undefined : body);
}
