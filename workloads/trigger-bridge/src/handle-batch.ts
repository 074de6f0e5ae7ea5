import type { JsMsg } from "@nats-io/jetstream";
import type { JetStreamTriggerEvent } from "@natster/protocol";
import { planBatches, singleBatch, type PlannedCall } from "./batches.ts";
import { triggerEventOf, where, type MessageContext } from "./handle-message.ts";
import { invokeFunction } from "./invoke.ts";
import { pause } from "./pause.ts";
import { backoffDelay } from "./policy.ts";
import { errorText } from "./reply.ts";
import { matchesAnyFilter } from "./subjects.ts";

type CallResult = "applied" | "stopped" | { refused: string };

/**
 * Takes consecutive stream messages to the function in as few calls as the limits allow, then
 * acks them all. Failures are retried here, with the messages held (`working`), so nothing after
 * them overtakes them; a batch still refused after `max_deliver` tries (or refused outright) is
 * replayed one event at a time, so only the event that cannot be applied is parked. Never throws;
 * true when the batch was acked, false when it was handed back (nak).
 */
export async function handleBatch(
  ctx: MessageContext,
  msgs: readonly JsMsg[],
  planned?: PlannedBatch,
): Promise<boolean> {
  const { spec, log } = ctx;
  const last = msgs[msgs.length - 1];
  if (!last) return true;
  const handBack = (delayMs?: number) => {
    nakAll(msgs, delayMs);
    return false;
  };
  try {
    const { stream, calls } = planned ?? planBatch(ctx, msgs);
    for (const call of calls) {
      const result = await callWithRetries(
        ctx,
        msgs,
        call.body,
        `${spec.durable}: batch of ${call.events.length} up to seq ${call.events[call.events.length - 1]?.seq}`,
      );
      if (result === "stopped") return handBack();
      if (typeof result === "object" && !(await oneByOne(ctx, msgs, stream, call.events))) return handBack();
    }
    for (const m of msgs) m.ack();
    return true;
  } catch (e) {
    log(`${spec.durable}: unexpected error on a batch ending at ${last.subject}: ${errorText(e)}`);
    return handBack(backoffDelay(Number.MAX_SAFE_INTEGER, spec.backoff_ms));
  }
}

export type PlannedBatch = { stream: string; calls: PlannedCall[] };

/**
 * The calls for consecutive messages (the client-side filter applied), ready to send. The loop
 * plans the next batch while the function works on this one: the two use different cores.
 */
export function planBatch(ctx: MessageContext, msgs: readonly JsMsg[]): PlannedBatch {
  const { spec } = ctx;
  const last = msgs[msgs.length - 1];
  if (!last) return { stream: "", calls: [] };
  const events = msgs
    .filter((m) => !ctx.plan.filterClientSide || matchesAnyFilter(spec.filter_subjects, m.subject))
    .map(triggerEventOf);
  const stream = last.info.stream;
  return {
    stream,
    calls: planBatches(
      stream,
      events,
      last.info.streamSequence,
      spec.batch_max_events,
      spec.batch_max_bytes,
      ctx.reads,
    ),
  };
}

/** Each event alone; the ones the function still refuses are parked. False when stopping. */
async function oneByOne(
  ctx: MessageContext,
  msgs: readonly JsMsg[],
  stream: string,
  events: readonly JetStreamTriggerEvent[],
): Promise<boolean> {
  for (const event of events) {
    const result = await callWithRetries(ctx, msgs, singleBatch(stream, event, ctx.reads), where(ctx.spec, event));
    if (result === "stopped") return false;
    if (typeof result === "object") await parkUntilStored(ctx, msgs, event, result.refused);
  }
  return true;
}

async function callWithRetries(
  ctx: MessageContext,
  held: readonly JsMsg[],
  body: string,
  what: string,
): Promise<CallResult> {
  const { spec, log, signal } = ctx;
  let lastError = "";
  for (let attempt = 1, waits = 0; ; ) {
    if (signal.aborted) return "stopped";
    const outcome = await invokeFunction(ctx.nc, spec.trigger_subject, body, spec.request_timeout_ms);
    let delayMs: number;
    if (outcome.kind === "applied") return "applied";
    if (outcome.kind === "absent") {
      if (waits === 0) log(`${what}: ${outcome.error}; holding it until the function answers`);
      delayMs = Math.min(backoffDelay(++waits, spec.backoff_ms), Math.floor(spec.ack_wait_ms / 3));
    } else {
      lastError = outcome.error;
      if (!outcome.retry || attempt >= spec.max_deliver) {
        log(`${what} refused on try ${attempt}: ${lastError}`);
        return { refused: lastError };
      }
      delayMs = backoffDelay(attempt++, spec.backoff_ms);
      log(`${what} try ${attempt - 1}/${spec.max_deliver} failed: ${lastError}; retry in ${delayMs} ms`);
    }
    for (const m of held) m.working();
    if (!(await pause(delayMs, signal))) return "stopped";
    for (const m of held) m.working();
  }
}

async function parkUntilStored(
  ctx: MessageContext,
  held: readonly JsMsg[],
  event: JetStreamTriggerEvent,
  error: string,
): Promise<void> {
  const { spec, log, signal } = ctx;
  for (let attempt = 1; !signal.aborted; attempt++) {
    try {
      await ctx.deadLetters.park({ durable: spec.durable, triggerSubject: spec.trigger_subject, event, error });
      log(`${where(spec, event)} parked`);
      return;
    } catch (e) {
      const delayMs = backoffDelay(attempt, spec.backoff_ms);
      log(`${where(spec, event)} could not be parked (${errorText(e)}); retry in ${delayMs} ms`);
      for (const m of held) m.working();
      await pause(delayMs, signal);
    }
  }
}

function nakAll(msgs: readonly JsMsg[], delayMs?: number): void {
  for (const m of msgs) {
    try {
      m.nak(delayMs);
    } catch {
      // The connection is gone: the server redelivers after ack_wait.
    }
  }
}
