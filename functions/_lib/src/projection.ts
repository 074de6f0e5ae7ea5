import type { JetStreamTriggerReply } from "@natster/protocol";
import { defineFunction, parseHostError, type NexHandler } from "nex-fn";
import { Rejection } from "./rejection.ts";
import { parseTriggeredEvent, type ProjectedEvent } from "./triggered-event.ts";

/**
 * A projection fed by the JetStream trigger bridge. A malformed event can never succeed, so it is
 * answered `retry:false` (the bridge parks it); a host failure is answered `retry:true`.
 */
export function defineProjection(apply: (event: ProjectedEvent) => void): NexHandler {
  return defineFunction((_subject, payload): JetStreamTriggerReply => {
    let event: ProjectedEvent;
    try {
      event = parseTriggeredEvent(payload);
    } catch (e) {
      return { ok: false, error: e instanceof Rejection ? e.message : `malformed event: ${String(e)}`, retry: false };
    }
    try {
      apply(event);
      return { ok: true };
    } catch (e) {
      return { ok: false, error: `seq ${event.seq}: ${parseHostError(e).message}`, retry: true };
    }
  });
}
