import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import { failureOf, outcomeOf, respondEnvelope } from "./respond.ts";
import { describeRequester, requesterOf } from "./subjects.ts";

/** Handles one request and returns the outcome to log (it has already replied). */
export type RequestHandler = (msg: Msg) => Promise<string>;

/**
 * Subscribes `handler` and guarantees: every request gets at most one reply, a thrown error
 * becomes an INTERNAL envelope instead of a crash, and each request logs one line.
 */
export function serveSubject(
  nc: NatsConnection,
  subject: string,
  queue: string | undefined,
  label: string,
  handler: RequestHandler,
  log: (line: string) => void,
): Subscription {
  return nc.subscribe(subject, {
    ...(queue === undefined ? {} : { queue }),
    callback: (err, msg) => {
      if (err) {
        log(`${label}: subscription error: ${err.message}`);
        return;
      }
      const started = Date.now();
      const who = describeRequester(requesterOf(msg.subject));
      handler(msg)
        .catch((e: unknown) => {
          const envelope = failureOf(e);
          respondEnvelope(msg, envelope);
          return `${outcomeOf(envelope)} (${(e as Error).message})`;
        })
        .then((outcome) => log(`${label} from ${who} -> ${outcome} in ${Date.now() - started} ms`))
        .catch(() => undefined);
    },
  });
}
