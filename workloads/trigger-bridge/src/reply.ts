import type { JetStreamTriggerEvent } from "@natster/protocol";
import type { AttemptOutcome } from "./policy.ts";

export type StoredMessageFacts = {
  stream: string;
  seq: number;
  subject: string;
  timestampNanos: number;
  delivery: number;
  data: Uint8Array;
};

const MAX_ERROR_CHARS = 300;
const dec = new TextDecoder();

export function buildTriggerEvent(facts: StoredMessageFacts): JetStreamTriggerEvent {
  return {
    stream: facts.stream,
    seq: facts.seq,
    subject: facts.subject,
    time: new Date(Math.floor(facts.timestampNanos / 1e6)).toISOString(),
    delivery: facts.delivery,
    data: dec.decode(facts.data),
  };
}

/** Reads a function's reply as a JetStreamTriggerReply; anything else is a retryable failure. */
export function parseTriggerReply(data: Uint8Array): AttemptOutcome {
  const text = dec.decode(data);
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    return { kind: "failed", error: `unparseable reply: ${clip(text)}`, retry: true };
  }
  if (typeof reply === "object" && reply !== null && "ok" in reply) {
    if (reply.ok === true) return { kind: "applied" };
    if (reply.ok === false) {
      const error =
        "error" in reply && typeof reply.error === "string" && reply.error !== ""
          ? reply.error
          : "function replied ok:false";
      const retry = !("retry" in reply && reply.retry === false);
      return { kind: "failed", error: clip(error), retry };
    }
  }
  return { kind: "failed", error: `unexpected reply: ${clip(text)}`, retry: true };
}

/** Keeps error text short and on one line (it travels in NATS headers and log lines). */
export function clip(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, " ").trim();
  return oneLine.length > MAX_ERROR_CHARS ? `${oneLine.slice(0, MAX_ERROR_CHARS)}...` : oneLine;
}

export function errorText(e: unknown): string {
  return clip(e instanceof Error ? e.message : String(e));
}
