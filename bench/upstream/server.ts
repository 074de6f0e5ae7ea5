import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import { headers } from "@nats-io/nats-core";
import { createCurve } from "@nats-io/nkeys";
import type { CatalogShareSummary } from "@natster/protocol";
import { open } from "node:fs/promises";
import { join } from "node:path";
import type { CatalogFile } from "@natster/catalog";
import {
  UPSTREAM_CHUNK_SIZE,
  UpstreamHeaders,
  upstreamMediaSubject,
  type UpstreamDownloadRequest,
  type UpstreamDownloadResponse,
} from "./protocol.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

export type UpstreamServerOptions = {
  nc: NatsConnection;
  catalog: CatalogFile;
  log: (line: string) => void;
};

const respond = (msg: Msg, body: unknown) => msg.respond(enc.encode(JSON.stringify(body)));

/**
 * Upstream's catalog server download endpoint (download.go:37-242): the same subjects and queue
 * group, the per-request `my.shares` check (api.go:73-94), the reply, and `transmitChunkedFile`:
 * read 4096 bytes, seal, publish, next; nothing waits for the receiver.
 */
export function serveUpstreamDownloads(opts: UpstreamServerOptions): Subscription[] {
  const { nc, catalog, log } = opts;
  const handle = async (msg: Msg, local: boolean): Promise<void> => {
    let request: UpstreamDownloadRequest;
    try {
      request = JSON.parse(dec.decode(msg.data)) as UpstreamDownloadRequest;
    } catch (e) {
      respond(msg, { code: 400, error: (e as Error).message, data: null });
      return;
    }
    const requester = local ? undefined : msg.subject.split(".")[0];
    if (requester && !(await isShared(nc, catalog.name, requester))) {
      respond(msg, { code: 403, error: "Forbidden", data: null });
      return;
    }
    const entry = catalog.entries.find((e) => e.hash === request.hash);
    if (!entry) {
      respond(msg, { code: 404, error: "Requested File Not Found", data: null });
      return;
    }
    const sender = createCurve();
    const totalChunks = Math.ceil(entry.byte_size / UPSTREAM_CHUNK_SIZE);
    const data: UpstreamDownloadResponse = {
      acknowledged: true,
      chunk_size: UPSTREAM_CHUNK_SIZE,
      total_chunks: totalChunks,
      sender_xkey: sender.getPublicKey(),
      total_bytes: entry.byte_size,
    };
    respond(msg, { code: 200, data, error: null });
    const subject = upstreamMediaSubject(requester, catalog.name, entry.hash);
    const path = join(catalog.root_dir, ...entry.path.slice(1).split("/"));
    void transmit(nc, { path, subject, totalChunks, sender, targetXkey: request.target_xkey }).catch((e: unknown) =>
      log(`WARN transmit failed: ${(e as Error).message}`),
    );
  };
  const sub = (subject: string, local: boolean) =>
    nc.subscribe(subject, {
      queue: "natstercatalog",
      callback: (_e, msg) => void handle(msg, local).catch((e: unknown) => log(`WARN ${(e as Error).message}`)),
    });
  return [
    sub(`*.natster.catalog.${catalog.name}.download`, false),
    sub(`natster.catalog.${catalog.name}.download`, true),
  ];
}

async function transmit(
  nc: NatsConnection,
  t: { path: string; subject: string; totalChunks: number; sender: ReturnType<typeof createCurve>; targetXkey: string },
): Promise<void> {
  const file = await open(t.path, "r");
  try {
    const senderXkey = t.sender.getPublicKey();
    const buffer = new Uint8Array(UPSTREAM_CHUNK_SIZE);
    for (let i = 0; i < t.totalChunks; i++) {
      const { bytesRead } = await file.read(buffer, 0, UPSTREAM_CHUNK_SIZE, null);
      if (bytesRead === 0) break;
      const sealed = t.sender.seal(buffer.subarray(0, bytesRead), t.targetXkey);
      const h = headers();
      h.set(UpstreamHeaders.chunkIdx, String(i));
      h.set(UpstreamHeaders.senderXkey, senderXkey);
      h.set(UpstreamHeaders.totalChunks, String(t.totalChunks));
      nc.publish(t.subject, sealed, { headers: h });
    }
  } finally {
    await file.close();
  }
}

/** Upstream asks the global service on every request (2 s timeout); any error denies. */
async function isShared(nc: NatsConnection, catalog: string, requester: string): Promise<boolean> {
  try {
    const reply = await nc.request("natster.global.my.shares", new Uint8Array(), { timeout: 2000 });
    const envelope = JSON.parse(dec.decode(reply.data)) as { code: number; data: CatalogShareSummary[] | null };
    return (
      envelope.code === 200 && (envelope.data ?? []).some((s) => s.catalog === catalog && s.to_account === requester)
    );
  } catch {
    return false;
  }
}
