import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerConfig,
  type JetStreamManager,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/nats-core";
import type { PriorityPolicy } from "@nats-io/jetstream";
import type { ResolvedTriggerSpec } from "./config.ts";
import { needsPin, PIN_GROUP, pinTimeoutMs } from "./pinning.ts";
import { errorText } from "./reply.ts";
import { planConsumerFilter, type ConsumerFilterPlan } from "./subjects.ts";

const PINNED_CLIENT: PriorityPolicy = "pinned_client";

/**
 * How the loop consumes: the filter plan, whether it pulls as the pinned client of `PIN_GROUP`, and
 * whether one ack settles every message up to it (AckPolicy.All: a batch is acked by its last message).
 */
export type ConsumerPlan = ConsumerFilterPlan & { pinned: boolean; ackAll: boolean };

/** Unordered consumers may have this many events in flight (the server's own default). */
const UNORDERED_MAX_ACK_PENDING = 1000;

/**
 * Creates the spec's durable pull consumer, or updates what the server lets us update.
 *
 * The server's own max_deliver stays unlimited: past it, nats-server silently stops delivering a
 * message (an advisory only), which would lose the event. The bridge counts deliveries and parks.
 */
export async function ensureDurableConsumer(
  jsm: JetStreamManager,
  spec: ResolvedTriggerSpec,
  log: (line: string) => void = () => undefined,
): Promise<ConsumerPlan> {
  const streamSubjects = (await jsm.streams.info(spec.stream)).config.subjects ?? [];
  const filter = wholeStream(planConsumerFilter(spec.filter_subjects), streamSubjects);
  const pin: Partial<ConsumerConfig> = needsPin(spec)
    ? { priority_groups: [PIN_GROUP], priority_policy: PINNED_CLIENT, priority_timeout: nanos(pinTimeoutMs(spec)) }
    : {};
  // An ordered batched durable is consumed a batch at a time, lowest sequences first, by one
  // instance: acking the batch's last message acks the batch (one ack instead of one per message).
  const ackPolicy = needsPin(spec) ? AckPolicy.All : AckPolicy.Explicit;
  const wanted: Partial<ConsumerConfig> = {
    durable_name: spec.durable,
    description: `natster trigger bridge -> ${spec.trigger_subject}`,
    ack_policy: ackPolicy,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(spec.ack_wait_ms),
    max_deliver: -1,
    // Ordered: one call (two for batches, so the next is on its way) in flight. A batch held for
    // retries is never overtaken: the bridge's loop takes the next one only once it is settled.
    max_ack_pending: spec.ordered
      ? spec.batch_max_events > 1
        ? 2 * spec.batch_max_events
        : 1
      : UNORDERED_MAX_ACK_PENDING,
    ...(filter.filterSubject === undefined ? {} : { filter_subject: filter.filterSubject }),
    ...pin,
  };
  const existing = await jsm.consumers.info(spec.stream, spec.durable).catch((e: unknown) => {
    if (e instanceof JetStreamApiError && e.code === JetStreamApiCodes.ConsumerNotFound) return undefined;
    throw e;
  });
  if (!existing) {
    let created = await jsm.consumers.add(spec.stream, wanted);
    if (created.config.ack_policy === AckPolicy.All && created.config.priority_policy !== PINNED_CLIENT) {
      // A server that cannot pin (before 2.11): without one instance taking batches in order, an
      // ack of a later message could settle an earlier one handed back, so each message is acked.
      await jsm.consumers.delete(spec.stream, spec.durable);
      created = await jsm.consumers.add(spec.stream, { ...wanted, ack_policy: AckPolicy.Explicit });
    }
    return {
      ...filter,
      pinned: created.config.priority_policy === PINNED_CLIENT,
      ackAll: created.config.ack_policy === AckPolicy.All,
    };
  }
  const current = existing.config;
  const currentFilter = wholeStream(
    { filterSubject: current.filter_subject || undefined, filterClientSide: false },
    streamSubjects,
  ).filterSubject;
  // A batched durable made before AckPolicy.All keeps acking each message; anything else must match.
  const ackOk = current.ack_policy === ackPolicy || (needsPin(spec) && current.ack_policy === AckPolicy.Explicit);
  if (currentFilter !== filter.filterSubject || !ackOk || current.deliver_subject)
    throw new Error(
      `consumer ${spec.durable} on ${spec.stream} exists as ${current.deliver_subject ? "push" : "pull"}, ack ${current.ack_policy}, ` +
        `filter '${current.filter_subject ?? ""}' and nats-server 2.9 cannot change that in place (wanted filter '${filter.filterSubject ?? ""}'): ` +
        `delete the consumer (it restarts from the stream's start) or pick a new durable`,
    );
  if (
    current.ack_wait !== wanted.ack_wait ||
    current.max_deliver !== wanted.max_deliver ||
    current.max_ack_pending !== wanted.max_ack_pending
  ) {
    await jsm.consumers.update(spec.stream, spec.durable, {
      ack_wait: wanted.ack_wait,
      max_deliver: wanted.max_deliver,
      max_ack_pending: wanted.max_ack_pending,
      description: wanted.description,
    });
  }
  return {
    ...filter,
    pinned: await ensurePin(jsm, spec, current, pin, log),
    ackAll: current.ack_policy === AckPolicy.All,
  };
}

/**
 * Brings a durable made before pinning (or with another pin timeout) up to date. A server that
 * cannot (older than 2.11) keeps it unpinned: one bridge instance per ordered batched durable then.
 */
async function ensurePin(
  jsm: JetStreamManager,
  spec: ResolvedTriggerSpec,
  current: ConsumerConfig,
  pin: Partial<ConsumerConfig>,
  log: (line: string) => void,
): Promise<boolean> {
  const wanted = pin.priority_policy === PINNED_CLIENT;
  const has = current.priority_policy === PINNED_CLIENT;
  if (wanted === has && (!wanted || current.priority_timeout === pin.priority_timeout)) return has;
  const update: Partial<ConsumerConfig> = wanted ? pin : { priority_groups: [], priority_policy: "none" };
  try {
    const updated = await jsm.consumers.update(spec.stream, spec.durable, update);
    return updated.config.priority_policy === PINNED_CLIENT;
  } catch (e) {
    log(
      `${spec.durable}: could not ${wanted ? "pin" : "unpin"} the consumer (${errorText(e)}); run one bridge instance for it`,
    );
    return has;
  }
}

/**
 * A filter that is the stream's only subject selects everything: the consumer goes unfiltered, as
 * nats-server 2.9 counts a wildcard-filtered consumer's pending messages subject by subject (slow
 * on a log where nearly every event has a subject of its own).
 */
function wholeStream(plan: ConsumerFilterPlan, streamSubjects: readonly string[]): ConsumerFilterPlan {
  return streamSubjects.length === 1 && plan.filterSubject === streamSubjects[0]
    ? { filterSubject: undefined, filterClientSide: false }
    : plan;
}
