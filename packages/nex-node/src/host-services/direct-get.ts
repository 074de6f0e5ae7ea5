import { createInbox, Empty, type Msg, type NatsConnection, type Subscription } from "@nats-io/nats-core";

/**
 * Asks for the latest value under `subject` in `stream` and calls `done` once with it; with
 * undefined when there is none, it is a delete or purge marker, or the answer did not come in time.
 */
export type DirectGet = (
  stream: string,
  subject: string,
  timeoutMs: number,
  done: (value: Uint8Array | undefined) => void,
) => void;

/**
 * JetStream direct gets (`$JS.API.DIRECT.GET.<stream>.<subject>`, what nats.js's `kv.get` sends
 * for a bucket that allows direct gets) over one inbox subscription kept for the connection.
 * nats.js's `request()` builds an Error with a stack trace for every answered request, plus a
 * timer and a mux entry: about 50 µs of the node's CPU on each KV read a function makes. The
 * answer is handed on from the subscription's callback, without a promise between it and the
 * function's worker. Any status (404 included) or timeout is a miss or a failure; both are the
 * host's one "failed to get value for key" to the function.
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
  return (stream, subject, timeoutMs, done) => {
    sub ??= nc.subscribe(`${inbox}.*`, { callback: (_e, m) => answer(m) });
    const reply = `${inbox}.${++next}`;
    const timer = setTimeout(() => {
      waiting.delete(reply);
      done(undefined);
    }, timeoutMs);
    waiting.set(reply, (m) => {
      clearTimeout(timer);
      done(m && latestValue(m));
    });
    try {
      nc.publish(`$JS.API.DIRECT.GET.${stream}.${subject}`, Empty, { reply });
    } catch {
      waiting.get(reply)?.(undefined); // the connection is closed or draining
      waiting.delete(reply);
    }
  };
}

/** The entry's value; undefined for a status answer (404 included), a delete or purge marker, or a value aged out. */
function latestValue(m: Msg): Uint8Array | undefined {
  const headers = m.headers;
  if (!headers || headers.code !== 0) return undefined;
  const op = headers.get("KV-Operation");
  if (op === "DEL" || op === "PURGE" || headers.get("Nats-Marker-Reason") === "MaxAge") return undefined;
  return m.data;
}
