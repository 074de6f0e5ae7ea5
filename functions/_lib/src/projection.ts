import {
  Stores,
  type JetStreamTriggerReply,
  type ProjectionCursor,
  type ProjectionName,
  type TriggerPartReply,
} from "@natster/protocol";
import { asciiJsonBytes, defineFunction, host, kvJson, parseHostError, type NexHandler } from "nex-fn";
import { payloadJson } from "./ascii-json.ts";
import { Rejection } from "./rejection.ts";
import { parseTriggeredBatch, type ProjectedEvent } from "./triggered-event.ts";

/** A later part of the call, from the bridge's reads subject (it names the call in `more`). */
function fetchPart(reads: string, batch: string, part: number): unknown {
  const reply = payloadJson<TriggerPartReply>(host().messaging.request(reads, asciiJsonBytes({ batch, part })));
  if ("error" in reply) throw new Error(`part ${part} of ${batch}: ${reply.error}`);
  return reply;
}

/**
 * A projection fed by the JetStream trigger bridge, one event or a batch of them per call. The
 * batch's keys are read at once (through the bridge's `reads` subject when it offers one), the
 * batch is applied in memory and each touched key written once; then the projection's cursor in
 * PROJ_CURSOR moves to the batch's `through` (never back), which is what read-your-writes waits
 * for. A malformed event can never succeed, so it is answered `retry:false` (the bridge then
 * replays the batch event by event and parks only that one); a host failure is `retry:true`.
 */
export function defineProjection(
  name: ProjectionName,
  applyBatch: (events: readonly ProjectedEvent[], reads: string | undefined) => void,
): NexHandler {
  return defineFunction((_subject, payload): JetStreamTriggerReply => {
    let batch: ReturnType<typeof parseTriggeredBatch>;
    try {
      batch = parseTriggeredBatch(payload, fetchPart);
    } catch (e) {
      // Only a part that could not be fetched may succeed on a retry.
      if (e instanceof Rejection) return { ok: false, error: e.message, retry: false };
      return { ok: false, error: `reading the call's parts: ${parseHostError(e).message}`, retry: true };
    }
    try {
      applyBatch(batch.events, batch.reads);
      const cursors = kvJson(Stores.cursors);
      if ((cursors.get<ProjectionCursor>(name)?.through ?? 0) < batch.through)
        cursors.put(name, { through: batch.through } satisfies ProjectionCursor);
      return { ok: true };
    } catch (e) {
      return {
        ok: false,
        error: `seq ${batch.events[0]?.seq}..${batch.through}: ${parseHostError(e).message}`,
        retry: true,
      };
    }
  });
}
