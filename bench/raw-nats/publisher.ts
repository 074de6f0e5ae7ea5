import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import { creditSubject, downloadSubject, mediaSubject } from "@natster/protocol";
import { fileSource } from "@natster/transfer/node";
import { decode, encode, type RawCredit, type RawStart } from "./protocol.ts";

/**
 * A bare nats.js publisher: on a start request from another account, it reads the file in
 * `chunk_size` pieces and publishes them, never more than `window` ahead of the subscriber's count.
 */
export function serveRaw(nc: NatsConnection, catalog: string, path: string): Subscription {
  return nc.subscribe(`*.${downloadSubject(catalog)}`, {
    callback: (err, msg) => {
      if (!err)
        void publishFile(nc, catalog, path, msg).catch((e: unknown) =>
          process.stderr.write(`raw publisher: ${String(e)}\n`),
        );
    },
  });
}

async function publishFile(nc: NatsConnection, catalog: string, path: string, msg: Msg): Promise<void> {
  const requester = msg.subject.split(".", 1)[0]!;
  const start = decode<RawStart>(msg.data);
  const source = await fileSource(path);
  let limit = start.window;
  let wake: (() => void) | undefined;
  const credits = nc.subscribe(`*.${creditSubject(catalog, start.transfer_id)}`, {
    callback: (_err, m) => {
      limit = Math.max(limit, decode<RawCredit>(m.data).received + start.window);
      wake?.();
    },
  });
  msg.respond(encode({ ok: true }));
  const subject = `${requester}.${mediaSubject(catalog, start.transfer_id)}`;
  try {
    for (let index = 0, offset = 0; offset < start.length; index++, offset += start.chunk_size) {
      while (index >= limit) await new Promise<void>((resolve) => (wake = resolve));
      nc.publish(subject, await source.read(offset, Math.min(start.chunk_size, start.length - offset)));
    }
    await nc.flush();
  } finally {
    credits.unsubscribe();
    await source.close?.();
  }
}
