import type { Consumer, JetStreamClient, JetStreamManager, JsMsg } from "@nats-io/jetstream";
import { ensureDurableConsumer } from "./consumer-setup.ts";
import { handleBatch, planBatchInTurns, type BatchContext, type PlannedBatch } from "./handle-batch.ts";
import { handleMessage, type MessageContext } from "./handle-message.ts";
import { MessageBuffer } from "./message-buffer.ts";
import { OrderedHold } from "./ordered-hold.ts";
import { pause } from "./pause.ts";
import { BATCH_PULL_EXPIRES_MS, PIN_GROUP } from "./pinning.ts";
import { backoffDelay } from "./policy.ts";
import { errorText } from "./reply.ts";
import type { ConsumerGroup } from "./shared-durables.ts";

/** A consumer's loop: `spec` is the consumer's (ConsumerGroup.consumer), `group` the functions it feeds. */
export type LoopContext = Omit<MessageContext, "plan"> & {
  js: JetStreamClient;
  jsm: JetStreamManager;
  group: ConsumerGroup;
};

/**
 * Pull requests expire this fast so that stop() never abandons a request the server could still
 * answer: a message delivered to a closed inbox would sit unacked until ack_wait.
 */
const PULL_EXPIRES_MS = 1000;
const UNORDERED_BATCH = 16;
const SETUP_RETRY_MS = [250, 500, 1000, 2000, 5000, 10_000, 30_000];
/** How often a pinned instance missing some of the consumer's outstanding messages looks again. */
const ORDER_POLL_MS = 20;
/** How often the loop looks for the next whole batch while the functions work on one. */
const AHEAD_POLL_MS = 5;

/** One spec's consumer and loop, until `signal` aborts. Recovers from any error on its own; never rejects. */
export async function runTriggerLoop(ctx: LoopContext): Promise<void> {
  const { spec, log, signal } = ctx;
  for (let failures = 1; !signal.aborted; failures++) {
    try {
      const { pinned, ackAll, ...plan } = await ensureDurableConsumer(ctx.jsm, spec, log);
      const consumer = await ctx.js.consumers.get(spec.stream, spec.durable);
      failures = 0;
      // An unfiltered consumer standing for several filters: every function picks its events.
      const members = ctx.group.members.map((m) => ({
        ...m,
        filterClientSide: m.filterClientSide || plan.filterClientSide,
      }));
      if (spec.batch_max_events > 1) await consumeInBatches({ ...ctx, plan, members, ackAll }, consumer, pinned);
      else await pullUntilStopped({ ...ctx, plan }, consumer);
    } catch (e) {
      if (signal.aborted) return;
      const delayMs = backoffDelay(failures, SETUP_RETRY_MS);
      log(`${spec.durable}: consumer on ${spec.stream} failed: ${errorText(e)}; retry in ${delayMs} ms`);
      await pause(delayMs, signal);
    }
  }
}

async function pullUntilStopped(ctx: MessageContext, consumer: Consumer): Promise<void> {
  const { spec, signal } = ctx;
  while (!signal.aborted) {
    const messages = await consumer.fetch({
      max_messages: spec.ordered ? 1 : UNORDERED_BATCH,
      expires: PULL_EXPIRES_MS,
    });
    let next: JsMsg | undefined;
    const inFlight: Promise<void>[] = [];
    try {
      for await (const msg of messages) {
        if (signal.aborted) {
          msg.nak(); // stopping: hand it straight back rather than let it wait out ack_wait
        } else if (spec.ordered) {
          // Handle it after leaving the fetch: a slow function would otherwise trip the fetch's
          // idle-heartbeat check. The pull asked for one message, so nothing more can come.
          next = msg;
          break;
        } else {
          inFlight.push(handleMessage(ctx, msg));
        }
      }
    } finally {
      await Promise.all(inFlight);
    }
    if (next) await handleMessage(ctx, next);
  }
}

/**
 * Batched specs: a continuous pull keeps messages coming (at most max_ack_pending unacked), and
 * each round takes whatever has arrived, up to a batch, without waiting for a batch to fill.
 * Pinned (ordered), only the instance the server pinned gets messages; the others' pulls wait,
 * and batches are taken in stream order even when the server redelivers out of it (OrderedHold).
 */
async function consumeInBatches(
  ctx: BatchContext & Pick<LoopContext, "jsm">,
  consumer: Consumer,
  pinned: boolean,
): Promise<void> {
  const { spec, signal } = ctx;
  // Below it everything is acked (from the consumer info fetched just before; then each batch this
  // loop settles): the first batches are taken without asking the server again.
  let ackFloor = (await consumer.info(true)).ack_floor.stream_seq;
  const messages = await consumer.consume({
    max_messages: spec.batch_max_events,
    expires: BATCH_PULL_EXPIRES_MS,
    ...(pinned ? { group: PIN_GROUP } : {}),
  });
  let holdsPin = false;
  void (async () => {
    for await (const s of messages.status()) {
      if (s.type === "consumer_pinned") holdsPin = true;
      else if (s.type === "consumer_unpinned") holdsPin = false;
    }
  })().catch(() => undefined);
  const buffer = new MessageBuffer<JsMsg>();
  const stop = () => void messages.close();
  signal.addEventListener("abort", stop, { once: true });
  const pump = (async () => {
    try {
      for await (const msg of messages) buffer.push(msg);
    } finally {
      buffer.end();
    }
  })();
  const hold = new OrderedHold<JsMsg>((m) => m.info.streamSequence);
  // Whether the hold got messages since nextInOrder last took a batch from it (complete then).
  let heldSinceTake = false;
  // Pinned, the first batches are smaller (a quarter, a half, then whole): the functions start on
  // the first while the rest of a replay is still arriving, instead of waiting for a whole batch.
  let wanted = pinned ? Math.ceil(spec.batch_max_events / 4) : spec.batch_max_events;
  const taken = <B extends JsMsg[] | undefined>(batch: B): B => {
    if (batch && batch.length > 0) wanted = Math.min(spec.batch_max_events, wanted * 2);
    return batch;
  };
  const next = pinned
    ? () =>
        nextInOrder(ctx, consumer, buffer, hold, wanted, ackFloor)
          .then(taken)
          .finally(() => (heldSinceTake = false))
    : () => buffer.take(spec.batch_max_events);
  // A whole batch (`wanted`) in hand to follow the one ending at `after`, else none. Pinned: what is left in a
  // hold that was complete when the batch before was taken precedes anything not yet delivered; or
  // the sequences right after `after`, once they have all arrived.
  const wholeBatchInHand = (after: number): JsMsg[] => {
    const n = wanted;
    if (!pinned) return buffer.takeFull(n);
    if (!heldSinceTake && hold.size >= n) return taken(hold.takeLowest(n));
    const arrived = buffer.drain();
    if (arrived && arrived.length > 0) {
      hold.add(arrived);
      heldSinceTake = true;
    }
    // Fewer, when they are the last the consumer had (the end of a replay).
    return taken(hold.takeRunAfter(after, n, (m) => m.info.pending === 0));
  };
  try {
    let ahead: JsMsg[] = [];
    let aheadPlan: PlannedBatch | undefined;
    for (let batch = await next(); batch; ) {
      let applied = false;
      if (signal.aborted) {
        for (const msg of batch) msg.nak();
      } else {
        const handled = handleBatch(ctx, batch, aheadPlan);
        let settled = false;
        void handled.then(() => (settled = true));
        // While the functions work on this batch, plan the next once a whole one is in hand (a part
        // would make more, smaller calls), in turns of the event loop, so that the functions' KV
        // reads are answered meanwhile.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const after = batch[batch.length - 1]?.info.streamSequence ?? 0;
        ahead = wholeBatchInHand(after);
        while (ahead.length === 0 && !settled && (await pause(AHEAD_POLL_MS, signal))) ahead = wholeBatchInHand(after);
        aheadPlan = ahead.length > 0 ? await planBatchInTurns(ctx, ahead) : undefined;
        applied = await handled;
        if (applied) ackFloor = Math.max(ackFloor, after);
      }
      // Pinned, a batch that was handed back goes first again: what was taken ahead waits with it.
      if (pinned && !applied && ahead.length > 0) hold.add(ahead.splice(0));
      batch = ahead.length > 0 ? ahead : await next();
      if (ahead.length === 0) aheadPlan = undefined;
      ahead = [];
    }
    await pump;
  } finally {
    for (const msg of hold.release()) msg.nak();
    signal.removeEventListener("abort", stop);
    stop();
    // Stopping with the pin: hand it over now (what was in hand is nak'd, so it goes first), rather
    // than leave the other instances waiting out the pin timeout.
    if (signal.aborted && holdsPin)
      await ctx.jsm.consumers.unpin(spec.stream, spec.durable, PIN_GROUP).catch(() => undefined);
  }
}

/**
 * The next batch of a pinned durable: the lowest sequences held, once this instance holds every
 * message the consumer has out, or `wanted` of those right after the ack floor (`knownFloor`, or
 * the server's if that is further). Until then it
 * keeps what it holds alive and looks again; if the rest never comes (another instance held them
 * and lost the pin while alive), it hands its own back after ack_wait so the server can deliver
 * everything to whoever is pinned, in one piece.
 */
async function nextInOrder(
  ctx: MessageContext,
  consumer: Consumer,
  buffer: MessageBuffer<JsMsg>,
  hold: OrderedHold<JsMsg>,
  wanted: number,
  knownFloor: number,
): Promise<JsMsg[] | undefined> {
  const { spec, signal, log } = ctx;
  let waitingSince: number | undefined;
  let keptAliveAt = Date.now();
  let lastRun = 0;
  for (;;) {
    const arrived = hold.size === 0 ? await buffer.take(Number.MAX_SAFE_INTEGER) : buffer.drain();
    if (arrived === undefined) return undefined;
    hold.add(arrived);
    if (signal.aborted) return hold.release();
    // The ack floor known here (below it everything is acked; it only moves up): a run of `wanted`
    // right after it, or all of them there when the last had nothing pending behind it, is taken
    // without asking the server, whose answer would queue behind the messages it is sending; and
    // while such a run is still growing (a replay arriving), it is waited for the same way.
    const run = hold.takeRunAfter(knownFloor, wanted, (m) => m.info.pending === 0);
    if (run.length > 0) return run;
    const runLength = hold.runAfter(knownFloor);
    const arriving = runLength > lastRun && (hold.runEnd(knownFloor)?.info.pending ?? 0) > 0;
    lastRun = runLength;
    const now = Date.now();
    if (!arriving) {
      const info = await consumer.info();
      const pending = info.num_ack_pending;
      // Everything out is here, or a whole batch of the lowest sequences the consumer can still
      // deliver (the first batch of a replay need not wait for the one behind it to arrive).
      if (hold.complete(pending)) return hold.takeLowest(spec.batch_max_events);
      if (hold.runAfter(info.ack_floor.stream_seq) >= wanted) return hold.takeLowest(wanted);
      waitingSince ??= now;
      if (now - waitingSince > spec.ack_wait_ms) {
        log(
          `${spec.durable}: ${pending - hold.size} earlier message(s) are out elsewhere; handing back the ${hold.size} held here`,
        );
        for (const msg of hold.release()) msg.nak();
        waitingSince = undefined;
        lastRun = 0;
        continue;
      }
    }
    if (now - keptAliveAt > spec.ack_wait_ms / 3) {
      for (const msg of hold.all()) msg.working();
      keptAliveAt = now;
    }
    await pause(ORDER_POLL_MS, signal);
  }
}
