import type { NatsConnection } from "@nats-io/nats-core";
import { createCurve } from "@nats-io/nkeys";
import { UpstreamHeaders, upstreamMediaSubject } from "./protocol.ts";
import type { UpstreamDownloadRequest, UpstreamDownloadResponse } from "./protocol.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

export type UpstreamDownloadResult = {
  bytes: number;
  chunks: number;
  totalChunks: number;
  lost: number;
  failedToOpen: number;
};

/**
 * Upstream's CLI receiver (client.go:68-152): a fresh xkey, subscribe to the media subject before
 * the request, then open every chunk and write it in arrival order until chunk `total_chunks - 1`.
 * Upstream waits forever when chunks go missing; this one gives up after `idleMs` and reports
 * what was lost instead of hanging the benchmark.
 */
export async function upstreamDownload(opts: {
  nc: NatsConnection;
  catalog: string;
  hash: string;
  write: (chunk: Uint8Array) => void;
  idleMs?: number;
}): Promise<UpstreamDownloadResult> {
  const xkey = createCurve();
  const sub = opts.nc.subscribe(upstreamMediaSubject(undefined, opts.catalog, opts.hash));
  try {
    const request: UpstreamDownloadRequest = { hash: opts.hash, transcode: false, target_xkey: xkey.getPublicKey() };
    const reply = await opts.nc.request(
      `natster.catalog.${opts.catalog}.download`,
      enc.encode(JSON.stringify(request)),
      { timeout: 5000 },
    );
    const envelope = JSON.parse(dec.decode(reply.data)) as {
      code: number;
      error?: string;
      data: UpstreamDownloadResponse | null;
    };
    if (envelope.code !== 200 || !envelope.data)
      throw new Error(`upstream download refused: ${envelope.code} ${envelope.error ?? ""}`);
    const { total_chunks: totalChunks, sender_xkey: senderXkey } = envelope.data;
    let bytes = 0;
    let chunks = 0;
    let failedToOpen = 0;
    const done = new Promise<void>((resolve) => {
      let idle: ReturnType<typeof setTimeout> | undefined;
      const arm = () => {
        clearTimeout(idle);
        idle = setTimeout(() => resolve(), opts.idleMs ?? 10_000);
      };
      arm();
      void (async () => {
        for await (const msg of sub) {
          arm();
          const index = Number(msg.headers?.get(UpstreamHeaders.chunkIdx) ?? "-1");
          const plain = xkey.open(msg.data, senderXkey);
          // Upstream logs a failed open and still writes an empty chunk.
          if (!plain) failedToOpen++;
          const chunk = plain ?? new Uint8Array();
          opts.write(chunk);
          bytes += chunk.length;
          chunks++;
          if (index === totalChunks - 1) break;
        }
        clearTimeout(idle);
        resolve();
      })();
    });
    await done;
    return { bytes, chunks, totalChunks, lost: totalChunks - chunks, failedToOpen };
  } finally {
    sub.unsubscribe();
    xkey.clear();
  }
}
