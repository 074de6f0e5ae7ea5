import { posix } from "node:path";

/** What the web server does with a request path (pure: no disk, no sockets). */
export type WebRoute =
  | { kind: "stack" }
  /** Streams the media service worker would have answered: it is not installed (yet). */
  | { kind: "media" }
  | { kind: "file"; path: string }
  /** Not a file: the single-page app (so `/login/<code>` works). */
  | { kind: "app" }
  | { kind: "not-found" };

export const STACK_PATH = "/stack.json";

/**
 * Decides from the URL path alone. A path with a file extension under `/assets/` (or any dotted
 * last segment) is a file request; everything else falls back to the app. Traversal, encoded
 * slashes, NUL bytes and dotfiles are refused.
 */
export function routeRequest(rawPath: string): WebRoute {
  let path: string;
  try {
    path = decodeURIComponent(rawPath.split("?")[0] ?? "/");
  } catch {
    return { kind: "not-found" };
  }
  if (path.includes("\0") || path.includes("\\") || !path.startsWith("/")) return { kind: "not-found" };
  const normal = posix.normalize(path);
  if (normal !== path) return { kind: "not-found" };
  if (normal === STACK_PATH) return { kind: "stack" };
  if (normal.startsWith("/media/")) return { kind: "media" };
  const segments = normal.split("/").filter(Boolean);
  if (segments.some((s) => s.startsWith("."))) return { kind: "not-found" };
  const last = segments.at(-1) ?? "";
  if (normal.startsWith("/assets/") || /\.[A-Za-z0-9]+$/.test(last)) return { kind: "file", path: segments.join("/") };
  return { kind: "app" };
}

/** Long caching for content-hashed assets; the app shell and the service worker are always revalidated. */
export function cacheControl(relPath: string): string {
  return relPath.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache";
}

/** The page's Content-Security-Policy: own scripts only; NATS over websocket (any server of the stack); blobs for verified files. */
export function contentSecurityPolicy(wsUrls: string | string[]): string {
  const wsOrigins = [wsUrls].flat().flatMap((wsUrl) => {
    try {
      const url = new URL(wsUrl);
      return [`${url.protocol}//${url.host}`];
    } catch {
      // No usable NATS URL: the page will say the servers cannot be reached.
      return [];
    }
  });
  const wsOrigin = wsOrigins.join(" ");
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "frame-src 'self' blob:",
    "object-src 'self' blob:",
    `connect-src 'self' ${wsOrigin}`.trim(),
    "worker-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join("; ");
}
