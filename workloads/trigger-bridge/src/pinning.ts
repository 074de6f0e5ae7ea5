import type { ResolvedTriggerSpec } from "./config.ts";

/** The priority group every bridge instance pulls in (nats-server 2.11+ pinned-client consumers). */
export const PIN_GROUP = "natster-bridge";

/** A batched pull expires this fast (the loop's own constant, repeated here for the pin's bound). */
export const BATCH_PULL_EXPIRES_MS = 5_000;

/**
 * Only ordered batched specs need one instance at a time: the server's `max_ack_pending` lets two
 * batches be out at once, and two instances each holding one would apply them out of order. An
 * ordered spec without batches has one event in flight in all (`max_ack_pending: 1`), and an
 * unordered spec may be applied in any order, so several instances share those freely.
 */
export const needsPin = (spec: ResolvedTriggerSpec): boolean => spec.ordered && spec.batch_max_events > 1;

/**
 * How long the server keeps a silent pinned instance before it pins another. Longer than the
 * messages that instance may hold can stay unacked (ack_wait, counted from a delivery up to one
 * pull's lifetime after its last pull), so by the time another instance is pinned they are already
 * queued for redelivery, which the server delivers before anything newer: the order holds.
 */
export const pinTimeoutMs = (spec: ResolvedTriggerSpec): number => spec.ack_wait_ms + BATCH_PULL_EXPIRES_MS + 1_000;
