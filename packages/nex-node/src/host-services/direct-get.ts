import { createInbox, Empty, type Msg, type NatsConnection, type Subscription } from "@nats-io/nats-core";

/** The latest value under `subject` in `stream`; undefined when there is none, or it is a delete or purge marker. */
export type DirectGet = (stream: string, subject: string, timeoutMs: number) => Promise<Uint8Array | undefined>;

/**
 * JetStream direct gets (`$JS.API.DIRECT.GET.<stream>.<subject>`, what nats.js's `kv.get` sends
 * for a bucket that allows direct gets) over one inbox subscription kept for the connection.
 * nats.js's `request()` builds an Error with a stack trace for every answered request, plus a
 * timer and a mux entry: about 50 µs of the node's CPU on each KV read a function makes.
 * Any status (404 included) or timeout is a miss or a failure; both are the host's one
 * "failed to get value for key" to the function.
 */
export function directGetter(nc: NatsConnection): DirectGet {
  const inbox = createInbox();
  const waiting = new Map<string, (m: Msg | undefined) => void>();
  let sub: Subscription | undefined;
  let next = 0;
  const answer = (m: Msg) => {
    const done = waiting.get(m.subject);
    waiting.delete(m.subject);
    done?.(m);
  };
  return (stream, subject, timeoutMs) =>
    new Promise<Msg | undefined>((resolve) => {
      sub ??= nc.subscribe(`${inbox}.*`, { callback: (_e, m) => answer(m) });
      const reply = `${inbox}.${++next}`;
      const timer = setTimeout(() => {
        waiting.delete(reply);
        resolve(undefined);
      }, timeoutMs);
      waiting.set(reply, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      nc.publish(`$JS.API.DIRECT.GET.${stream}.${subject}`, Empty, { reply });
    }).then((m) => {
      if (!m) throw new Error("timed out");
      const headers = m.headers;
      if (!headers || headers.code !== 0) throw new Error(`status ${headers?.code ?? "none"}`);
      const op = headers.get("KV-Operation");
      if (op === "DEL" || op === "PURGE" || headers.get("Nats-Marker-Reason") === "MaxAge") return undefined;
      return m.data;
    });
}
