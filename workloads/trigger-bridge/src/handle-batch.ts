import type { JsMsg } from "@nats-io/jetstream";
import type { JetStreamTriggerEvent } from "@natster/protocol";
import { CallsPlanner, prepareEvent, singleBatch, type PlannedCall, type PreparedEvent } from "./batches.ts";
import { triggerEventOf, where, type MessageContext } from "./handle-message.ts";
import { invokeFunction } from "./invoke.ts";
import { pause } from "./pause.ts";
import { backoffDelay } from "./policy.ts";
import { errorText } from "./reply.ts";
import type { ResolvedTriggerSpec } from "./config.ts";
import { eventsFor, type GroupMember } from "./shared-durables.ts";

type CallResult = "applied" | "stopped" | { refused: string };

/** A batched consumer's loop: the functions it feeds, and whether one ack settles a batch (AckPolicy.All). */
export type BatchContext = MessageContext & { members: readonly GroupMember[]; ackAll: boolean };

/**
 * Takes consecutive stream messages to each function of the consumer (at once, each in as few
 * calls as the limits allow), then acks them all. Failures are retried here, with the messages
 * held (`working`), so nothing after them overtakes them; a batch still refused after
 * `max_deliver` tries (or refused outright) is replayed one event at a time, so only the event
 * that cannot be applied is parked. Never throws; true when the batch was acked, false when it
 * was handed back (nak): then every function sees it again, and each is idempotent by sequence.
 */
export async function handleBatch(ctx: BatchContext, msgs: readonly JsMsg[], planned?: PlannedBatch): Promise<boolean> {
  const { spec, log } = ctx;
  const last = msgs[msgs.length - 1];
  if (!last) return true;
  const handBack = (delayMs?: number) => {
    nakAll(msgs, delayMs);
    return false;
  };
  let release: (() => void) | undefined;
  try {
    const { stream, calls } = planned ?? planBatch(ctx, msgs);
    release = ctx.parts?.hold(calls.flat());
    const applied = await Promise.all(
      ctx.members.map((member, i) => applyForMember(ctx, member.spec, msgs, stream, calls[i] ?? [])),
    );
    if (applied.includes(false)) return handBack();
    if (ctx.ackAll) last.ack();
    else for (const m of msgs) m.ack();
    return true;
  } catch (e) {
    log(`${spec.durable}: unexpected error on a batch ending at ${last.subject}: ${errorText(e)}`);
    return handBack(backoffDelay(Number.MAX_SAFE_INTEGER, spec.backoff_ms));
  } finally {
    release?.();
  }
}

/** One function's calls for the batch, in order; false when stopping. */
async function applyForMember(
  ctx: BatchContext,
  spec: ResolvedTriggerSpec,
  msgs: readonly JsMsg[],
  stream: string,
  calls: readonly PlannedCall[],
): Promise<boolean> {
  for (const call of calls) {
    const what = `${spec.durable} -> ${spec.trigger_subject}: batch of ${call.events.length} up to seq ${call.events[call.events.length - 1]?.seq}`;
    const result = await callWithRetries(ctx, spec, msgs, call.body, what);
    if (result === "stopped") return false;
    if (typeof result === "object" && !(await oneByOne(ctx, spec, msgs, stream, call.events))) return false;
  }
  return true;
}

/** The calls for each function of the consumer (`calls[i]` for `members[i]`), ready to send. */
export type PlannedBatch = { stream: string; calls: PlannedCall[][] };

/**
 * The calls for consecutive messages, each decoded once: for each function, its events (its
 * filters applied), compact. Functions taking every event share the same calls.
 */
export function planBatch(ctx: BatchContext, msgs: readonly JsMsg[]): PlannedBatch {
  const planning = planInSteps(ctx, msgs);
  for (let step = planning.next(); ; step = planning.next()) if (step.done) return step.value;
}

/** Events planned between two turns of the event loop while planning ahead. */
const EVENTS_PER_TURN = 256;

/**
 * planBatch, letting the event loop run every EVENTS_PER_TURN events: the loop plans the next batch
 * while the functions work on this one, and their KV read requests must not wait for the planning.
 */
export async function planBatchInTurns(ctx: BatchContext, msgs: readonly JsMsg[]): Promise<PlannedBatch> {
  const planning = planInSteps(ctx, msgs);
  for (let step = planning.next(); ; step = planning.next()) {
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function* planInSteps(ctx: BatchContext, msgs: readonly JsMsg[]): Generator<void, PlannedBatch> {
  const last = msgs[msgs.length - 1];
  if (!last) return { stream: "", calls: [] };
  const events: PreparedEvent[] = [];
  for (const m of msgs) {
    events.push(prepareEvent(triggerEventOf(m), Math.floor(m.info.timestampNanos / 1e6)));
    if (events.length % EVENTS_PER_TURN === 0) yield;
  }
  const stream = last.info.stream;
  const plans = new Map<readonly PreparedEvent[], PlannedCall[]>();
  const calls: PlannedCall[][] = [];
  for (const member of ctx.members) {
    const mine = eventsFor(
      member,
      events,
      (e) => e.event.subject,
      (e) => e.tokens,
    );
    let planned = plans.get(mine);
    if (!planned) {
      const { batch_max_events, batch_max_bytes, batch_max_parts } = member.spec;
      const planner = new CallsPlanner(stream, batch_max_events, batch_max_bytes, ctx.reads, batch_max_parts);
      for (let i = 0; i < mine.length; i++) {
        planner.push(mine[i] as PreparedEvent);
        if (i % EVENTS_PER_TURN === EVENTS_PER_TURN - 1) yield;
      }
      planned = planner.finish(last.info.streamSequence);
      plans.set(mine, planned);
    }
    calls.push(planned);
  }
  return { stream, calls };
}

/** Each event alone; the ones the function still refuses are parked. False when stopping. */
async function oneByOne(
  ctx: MessageContext,
  spec: ResolvedTriggerSpec,
  msgs: readonly JsMsg[],
  stream: string,
  events: readonly JetStreamTriggerEvent[],
): Promise<boolean> {
  for (const event of events) {
    const result = await callWithRetries(ctx, spec, msgs, singleBatch(stream, event, ctx.reads), where(spec, event));
    if (result === "stopped") return false;
    if (typeof result === "object") await parkUntilStored(ctx, spec, msgs, event, result.refused);
  }
  return true;
}

async function callWithRetries(
  ctx: MessageContext,
  spec: ResolvedTriggerSpec,
  held: readonly JsMsg[],
  body: string,
  what: string,
): Promise<CallResult> {
  const { log, signal } = ctx;
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
  spec: ResolvedTriggerSpec,
  held: readonly JsMsg[],
  event: JetStreamTriggerEvent,
  error: string,
): Promise<void> {
  const { log, signal } = ctx;
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
