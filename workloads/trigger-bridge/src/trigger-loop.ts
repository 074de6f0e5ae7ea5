import type { Consumer, JetStreamClient, JetStreamManager, JsMsg } from "@nats-io/jetstream";
import { ensureDurableConsumer } from "./consumer-setup.ts";
import { handleBatch, planBatch, type PlannedBatch } from "./handle-batch.ts";
import { handleMessage, type MessageContext } from "./handle-message.ts";
import { MessageBuffer } from "./message-buffer.ts";
import { pause } from "./pause.ts";
import { backoffDelay } from "./policy.ts";
import { errorText } from "./reply.ts";

export type LoopContext = Omit<MessageContext, "plan"> & { js: JetStreamClient; jsm: JetStreamManager };

/**
 * Pull requests expire this fast so that stop() never abandons a request the server could still
 * answer: a message delivered to a closed inbox would sit unacked until ack_wait.
 */
const PULL_EXPIRES_MS = 1000;
const UNORDERED_BATCH = 16;
const SETUP_RETRY_MS = [250, 500, 1000, 2000, 5000, 10_000, 30_000];

/** One spec's consumer and loop, until `signal` aborts. Recovers from any error on its own; never rejects. */
export async function runTriggerLoop(ctx: LoopContext): Promise<void> {
  const { spec, log, signal } = ctx;
  for (let failures = 1; !signal.aborted; failures++) {
    try {
      const plan = await ensureDurableConsumer(ctx.jsm, spec);
      const consumer = await ctx.js.consumers.get(spec.stream, spec.durable);
      failures = 0;
      if (spec.batch_max_events > 1) await consumeInBatches({ ...ctx, plan }, consumer);
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
    const messages = await consumer.fetch({ max_messages: spec.ordered ? 1 : UNORDERED_BATCH, expires: PULL_EXPIRES_MS });
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
 */
async function consumeInBatches(ctx: MessageContext, consumer: Consumer): Promise<void> {
  const { spec, signal } = ctx;
  const messages = await consumer.consume({ max_messages: spec.batch_max_events, expires: PULL_EXPIRES_MS * 5 });
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
  try {
    let ahead: JsMsg[] = [];
    let aheadPlan: PlannedBatch | undefined;
    for (let batch = await buffer.take(spec.batch_max_events); batch; ) {
      if (signal.aborted) {
        for (const msg of batch) msg.nak();
      } else {
        const handled = handleBatch(ctx, batch, aheadPlan);
        // While the function works on this batch, plan the next if a whole one has arrived (a part
        // would make more, smaller calls), once a turn of the event loop has sent the request.
        await new Promise<void>((resolve) => setImmediate(resolve));
        ahead = buffer.takeFull(spec.batch_max_events);
        aheadPlan = ahead.length > 0 ? planBatch(ctx, ahead) : undefined;
        await handled;
      }
      batch = ahead.length > 0 ? ahead : await buffer.take(spec.batch_max_events);
      if (ahead.length === 0) aheadPlan = undefined;
      ahead = [];
    }
    await pump;
  } finally {
    signal.removeEventListener("abort", stop);
    stop();
  }
}
