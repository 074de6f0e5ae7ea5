import { NoRespondersError, RequestError, TimeoutError, type NatsConnection } from "@nats-io/nats-core";
import type { AttemptOutcome } from "./policy.ts";
import { errorText, parseTriggerReply } from "./reply.ts";

/** Requests the function's core-NATS trigger subject with the event (or batch) as JSON text; never throws. */
export async function invokeFunction(
  nc: NatsConnection,
  subject: string,
  body: string,
  timeoutMs: number,
): Promise<AttemptOutcome> {
  try {
    const reply = await nc.request(subject, body, { timeout: timeoutMs });
    return parseTriggerReply(reply.data);
  } catch (e) {
    return requestFailure(e, subject, timeoutMs);
  }
}

function requestFailure(e: unknown, subject: string, timeoutMs: number): AttemptOutcome {
  const cause = e instanceof RequestError ? e.cause : undefined;
  if (
    e instanceof NoRespondersError ||
    cause instanceof NoRespondersError ||
    (e instanceof RequestError && e.isNoResponders())
  )
    return { kind: "absent", error: `no responders on ${subject}` };
  if (e instanceof TimeoutError || cause instanceof TimeoutError)
    return { kind: "failed", error: `no reply on ${subject} within ${timeoutMs} ms`, retry: true };
  return { kind: "failed", error: `request to ${subject} failed: ${errorText(e)}`, retry: true };
}
