import type { GoUrl } from "./types.ts";

/** Where an artifact lives: a JetStream object (`nats://BUCKET/key`) or, for local development, a file. */
export type ArtifactLocation = { kind: "object"; bucket: string; key: string } | { kind: "file"; path: string };

/** Accepts `nats://BUCKET/key`, `file:///abs/path`, or Go's `url.URL` marshalled as a struct. */
export function parseLocation(location: unknown): ArtifactLocation {
  const url = typeof location === "string" ? fromString(location) : fromGoUrl(location);
  if (url.scheme === "nats") {
    const key = url.path.replace(/^\/+/, "");
    if (!url.host || !key) throw new Error(`artifact location must be nats://BUCKET/key, got ${describe(location)}`);
    return { kind: "object", bucket: url.host, key };
  }
  if (url.scheme === "file") {
    if (!url.path.startsWith("/"))
      throw new Error(`file:// artifact location must be absolute, got ${describe(location)}`);
    return { kind: "file", path: decodeURIComponent(url.path) };
  }
  throw new Error(`unsupported artifact location ${describe(location)}: use nats://BUCKET/key`);
}

type UrlParts = { scheme: string; host: string; path: string };

function fromString(s: string): UrlParts {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(s.trim());
  if (!m) throw new Error(`artifact location is not a URL: ${JSON.stringify(s)}`);
  return { scheme: (m[1] ?? "").toLowerCase(), host: m[2] ?? "", path: m[3] ?? "" };
}

function fromGoUrl(v: unknown): UrlParts {
  if (typeof v !== "object" || v === null) throw new Error("artifact location is required");
  const u = v as GoUrl;
  return { scheme: (u.Scheme ?? "").toLowerCase(), host: u.Host ?? "", path: u.Path ?? "" };
}

const describe = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** The Go `url.URL` struct form a real 0.x client sends for `nats://bucket/key`. */
export function goUrl(bucket: string, key: string): GoUrl & Record<string, unknown> {
  return {
    Scheme: "nats",
    Opaque: "",
    User: null,
    Host: bucket,
    Path: `/${key}`,
    RawPath: "",
    OmitHost: false,
    ForceQuery: false,
    RawQuery: "",
    Fragment: "",
    RawFragment: "",
  };
}
