/** Who sent a request, as nats-server attests it; never a field the caller wrote. */
export type RequestSource = { connection: string; source: string };

export const REQUEST_INFO_HEADER = "Nats-Request-Info";
export const UNATTRIBUTED: RequestSource = { connection: "unattributed", source: "unattributed" };

/**
 * Reads the `Nats-Request-Info` header that nats-server writes (overwriting any the caller sent)
 * when a request crosses a service import with `share: true`: the client's address and its
 * connection id on that server. A stack made before the import existed has no header; all its
 * callers then share one bucket, which still bounds the total.
 */
export function requestSource(header: string | undefined): RequestSource {
  if (!header) return UNATTRIBUTED;
  try {
    const info = JSON.parse(header) as { host?: unknown; id?: unknown; server?: unknown };
    if (typeof info.host !== "string" || typeof info.id !== "number") return UNATTRIBUTED;
    const server = typeof info.server === "string" ? info.server : "";
    return { connection: `${server}#${info.id}`, source: info.host };
  } catch {
    return UNATTRIBUTED;
  }
}
