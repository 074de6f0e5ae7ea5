import type { JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamTriggerEvent } from "@natster/protocol";
import type { BatchParts } from "./batch-parts.ts";
import type { ResolvedTriggerSpec } from "./config.ts";
import type { DeadLetters } from "./dead-letters.ts";
import { invokeFunction } from "./invoke.ts";
import { pause } from "./pause.ts";
import { backoffDelay, decide, type Decision, type RetryPolicy } from "./policy.ts";
import { buildTriggerEvent, errorText } from "./reply.ts";
import { matchesAnyFilter, type ConsumerFilterPlan } from "./subjects.ts";

export type MessageContext = {
  nc: NatsConnection;
  spec: ResolvedTriggerSpec;
  plan: ConsumerFilterPlan;
  deadLetters: DeadLetters;
  log: (line: string) => void;
  signal: AbortSignal;
  /** The bridge's KvReadRequest subject, handed to batched calls (JetStreamTriggerBatch.reads). */
  reads?: string;
  /** The later parts of calls in several parts, served on `reads` while their batch is applied. */
  parts?: BatchParts;
};

/** Takes one stream message to its function and settles it: ack, nak with backoff, or park. Never throws. */
export async function handleMessage(ctx: MessageContext, msg: JsMsg): Promise<void> {
  const { spec, log } = ctx;
  try {
    if (ctx.plan.filterClientSide && !matchesAnyFilter(spec.filter_subjects, msg.subject)) return msg.ack();
    const event = triggerEventOf(msg);
    const policy: RetryPolicy = {
      maxDeliver: spec.max_deliver,
      backoffMs: spec.backoff_ms,
      ackWaitMs: spec.ack_wait_ms,
    };
    for (let waits = 0; ; waits++) {
      const outcome = await invokeFunction(
        ctx.nc,
        spec.trigger_subject,
        JSON.stringify(event),
        spec.request_timeout_ms,
      );
      const decision = decide(outcome, { delivery: event.delivery, waits }, policy);
      if (decision.action !== "wait") return await settle(ctx, msg, event, decision);
      if (waits === 0) log(`${where(spec, event)}: ${decision.error}; holding it until the function answers`);
      msg.working();
      if (!(await pause(decision.delayMs, ctx.signal))) return msg.nak();
      msg.working();
    }
  } catch (e) {
    log(`${spec.durable}: unexpected error on a message from ${msg.subject}: ${errorText(e)}`);
    try {
      msg.nak(backoffDelay(Number.MAX_SAFE_INTEGER, spec.backoff_ms));
    } catch {
      // The connection is gone: the server redelivers after ack_wait.
    }
  }
}

async function settle(
  ctx: MessageContext,
  msg: JsMsg,
  event: JetStreamTriggerEvent,
  decision: Exclude<Decision, { action: "wait" }>,
): Promise<void> {
  const { spec, log } = ctx;
  switch (decision.action) {
    case "ack":
      return msg.ack();
    case "retry":
      log(
        `${where(spec, event)} delivery ${event.delivery}/${spec.max_deliver} failed: ${decision.error}; retry in ${decision.delayMs} ms`,
      );
      return msg.nak(decision.delayMs);
    case "park":
      try {
        await ctx.deadLetters.park({
          durable: spec.durable,
          triggerSubject: spec.trigger_subject,
          event,
          error: decision.error,
        });
      } catch (e) {
        const delayMs = backoffDelay(Number.MAX_SAFE_INTEGER, spec.backoff_ms);
        log(
          `${where(spec, event)} could not be parked (${errorText(e)}) after: ${decision.error}; retry in ${delayMs} ms`,
        );
        return msg.nak(delayMs);
      }
      log(`${where(spec, event)} parked on delivery ${event.delivery}: ${decision.error}`);
      return msg.term();
  }
}

export function where(spec: ResolvedTriggerSpec, event: JetStreamTriggerEvent): string {
  return `${spec.durable}: ${event.stream} seq ${event.seq} (${event.subject})`;
}

/** A stream message as the JetStream trigger event its function receives. */
export function triggerEventOf(msg: JsMsg): JetStreamTriggerEvent {
  return buildTriggerEvent({
    stream: msg.info.stream,
    seq: msg.info.streamSequence,
    subject: msg.subject,
    timestampNanos: msg.info.timestampNanos,
    delivery: msg.info.deliveryCount,
    data: msg.data,
  });
}
