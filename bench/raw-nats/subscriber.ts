import type { NatsConnection } from "@nats-io/nats-core";
import { creditSubject, downloadSubject, mediaSubject } from "@natster/protocol";
import { randomBytes } from "node:crypto";
import { encode, type RawCredit, type RawStart } from "./protocol.ts";

const STUCK_MS = 300_000;

/** A bare nats.js subscriber: counts the bytes and grants credit every half window; resolves with the seconds taken. */
export async function receiveRaw(
  nc: NatsConnection,
  catalog: string,
  opts: { length: number; chunkSize: number; window: number },
): Promise<number> {
  const transferId = randomBytes(16).toString("hex");
  let bytes = 0;
  let received = 0;
  let credited = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const sub = nc.subscribe(mediaSubject(catalog, transferId), {
    callback: (_err, msg) => {
      bytes += msg.data.length;
      received++;
      if (received - credited >= Math.max(1, Math.floor(opts.window / 2))) {
        credited = received;
        nc.publish(creditSubject(catalog, transferId), encode({ received } satisfies RawCredit));
      }
      if (bytes >= opts.length) done();
    },
  });
  try {
    const started = performance.now();
    const start: RawStart = {
      transfer_id: transferId,
      chunk_size: opts.chunkSize,
      window: opts.window,
      length: opts.length,
    };
    await nc.request(downloadSubject(catalog), encode(start), { timeout: 10_000 });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stuck = new Promise<never>(
      (_, reject) =>
        (timer = setTimeout(
          () => reject(new Error(`raw subscriber stuck at ${bytes} of ${opts.length} bytes`)),
          STUCK_MS,
        )),
    );
    await Promise.race([finished, stuck]).finally(() => clearTimeout(timer));
    const seconds = (performance.now() - started) / 1000;
    if (bytes !== opts.length) throw new Error(`raw subscriber got ${bytes} of ${opts.length} bytes`);
    return seconds;
  } finally {
    sub.unsubscribe();
  }
}
