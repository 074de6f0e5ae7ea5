import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import { catalogRequesterOf, describeCatalogRequester, type CatalogRequester } from "@natster/protocol";
import { failureOf, outcomeOf, respondEnvelope } from "./respond.ts";

/** Handles one request from `requester` and returns the outcome to log (it has already replied). */
export type RequestHandler = (msg: Msg, requester: CatalogRequester) => Promise<string>;

/**
 * Subscribes `handler` and guarantees: every request gets at most one reply, a thrown error
 * becomes an INTERNAL envelope instead of a crash, and each request logs one line. The requester
 * is read from the subject here, once, and handed on.
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
      const requester = catalogRequesterOf(msg.subject);
      handler(msg, requester)
        .catch((e: unknown) => {
          const envelope = failureOf(e);
          respondEnvelope(msg, envelope);
          return `${outcomeOf(envelope)} (${(e as Error).message})`;
        })
        .then((outcome) =>
          log(`${label} from ${describeCatalogRequester(requester)} -> ${outcome} in ${Date.now() - started} ms`),
        )
        .catch(() => undefined);
    },
  });
}
