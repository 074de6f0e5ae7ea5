import { lookup } from "mime-types";
import { extname } from "node:path";

export const UNKNOWN_MIME_TYPE = "application/octet-stream";

/** Go's built-in `mime` table wins over the mime-db, so types match what upstream emitted. */
const GO_BUILTINS: Record<string, string> = {
  ".avif": "image/avif",
  ".css": "text/css",
  ".gif": "image/gif",
  ".htm": "text/html",
  ".html": "text/html",
  ".jpeg": "image/jpeg",
  ".jpg": "image/jpeg",
  ".js": "text/javascript",
  ".json": "application/json",
  ".mjs": "text/javascript",
  ".pdf": "application/pdf",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
  ".webp": "image/webp",
  ".xml": "text/xml",
  ".mp4": "video/mp4",
  ".mp3": "audio/mpeg",
  ".txt": "text/plain",
};

/** The mime type upstream would record for `path`, by extension; `text/*` carries `; charset=utf-8`. */
export function mimeTypeFor(path: string): string {
  const ext = extname(path).toLowerCase();
  if (!ext) return UNKNOWN_MIME_TYPE;
  const type = GO_BUILTINS[ext] ?? lookup(ext);
  if (!type) return UNKNOWN_MIME_TYPE;
  return type.startsWith("text/") ? `${type}; charset=utf-8` : type;
}
