import type { Msg } from "@nats-io/nats-core";
import { fail, isFailure, NatsterError, type Envelope } from "@natster/protocol";

const enc = new TextEncoder();

/** Upstream's exact refusal for a requester without a share. */
export const FORBIDDEN = fail(403, "FORBIDDEN", "Forbidden");

export const encodeJson = (value: unknown): Uint8Array => enc.encode(JSON.stringify(value));

/** The envelope for any thrown value: NatsterErrors keep their code, anything else is INTERNAL. */
export function failureOf(e: unknown): Envelope<never> {
  if (e instanceof NatsterError) return fail(e.status, e.code, e.message);
  return fail(500, "INTERNAL", "Internal Server Error");
}

/** Replies with an envelope if the message asked for a reply; never throws (a closed connection is not a crash). */
export function respondEnvelope<T>(msg: Msg, envelope: Envelope<T>): void {
  respondBytes(msg, encodeJson(envelope));
}

export function respondBytes(msg: Msg, data: Uint8Array): void {
  if (!msg.reply) return;
  try {
    msg.respond(data);
  } catch {
    // The connection is closing; the requester times out, as it would if we were gone.
  }
}

/** A one-line summary of a reply for the log. */
export const outcomeOf = (envelope: Envelope<unknown>): string =>
  isFailure(envelope) ? `${envelope.code} ${envelope.error_code} ${envelope.error}` : "200";
