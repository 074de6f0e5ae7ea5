import type { NatsConnection } from "@nats-io/nats-core";
import type { Envelope } from "@natster/protocol";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { CatalogSummary } from "@natster/catalog";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A NATSTER_HOME and media roots in a temp dir, removed by `remove()`. */
export function catalogDirs() {
  const base = mkdtempSync(join(tmpdir(), "natster-catalog-server-"));
  const home = join(base, "home");
  mkdirSync(home);
  return {
    base,
    home,
    /** A fresh media root `name` with these files ("/"-separated paths → contents). */
    root(name: string, files: Record<string, string | Uint8Array> = {}): string {
      const root = join(base, name);
      mkdirSync(root, { recursive: true });
      for (const [rel, content] of Object.entries(files)) writeUnder(root, rel, content);
      return root;
    },
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}

export function writeUnder(root: string, rel: string, content: string | Uint8Array): string {
  const abs = join(root, ...rel.split("/").filter(Boolean));
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, content);
  return abs;
}

/** Requests a subject with a raw or JSON body and returns the decoded envelope. */
export async function requestJson<T>(
  nc: NatsConnection,
  subject: string,
  body: unknown = "",
  timeout = 3000,
): Promise<Envelope<T>> {
  const payload = typeof body === "string" ? enc.encode(body) : enc.encode(JSON.stringify(body));
  const reply = await nc.request(subject, payload, { timeout });
  return JSON.parse(dec.decode(reply.data)) as Envelope<T>;
}

export const getPage = (nc: NatsConnection, catalog: string, body: unknown = "") =>
  requestJson<CatalogSummary>(nc, `natster.catalog.${catalog}.get`, body);

/** Every entry of a catalog, page by page, as a client would list it. */
export async function listAll(nc: NatsConnection, catalog: string, pageSize: number) {
  const first = await getPage(nc, catalog, { page: 0, page_size: pageSize });
  if (!first.data) throw new Error(`get failed: ${first.error}`);
  const pages = [first.data];
  for (let page = 1; page < first.data.pages; page++) {
    const next = await getPage(nc, catalog, { page, page_size: pageSize });
    if (!next.data) throw new Error(`get page ${page} failed: ${next.error}`);
    pages.push(next.data);
  }
  return pages;
}

/** The entries of page 0 if exactly one entry has `path` (with `hash`, when given); else undefined, for until. */
export async function listingWith(nc: NatsConnection, catalog: string, path: string, hash?: string) {
  const entries = (await getPage(nc, catalog)).data?.entries ?? [];
  const matching = entries.filter((e) => e.path === path);
  return matching.length === 1 && (hash === undefined || matching[0]?.hash === hash) ? entries : undefined;
}

export const sortedPaths = (page: { entries: { path: string }[] } | null | undefined): string[] =>
  (page?.entries ?? []).map((e) => e.path).sort();
