import { InternalSubjects, PROJECTION_BATCH_EVENTS, Stores, type JetStreamTriggerSpec } from "@natster/protocol";

/** Core-NATS trigger subject the JetStream trigger bridge requests with each event. */
export const triggers = [InternalSubjects.projection("catalog")] as const;

/**
 * PROJ_CATALOG follows shares and unshares. nats-server 2.9 takes one filter per consumer, so the
 * bridge consumes the whole log and filters these two client-side; the function also ignores the rest.
 */
export const jetstream: JetStreamTriggerSpec = {
  trigger_subject: InternalSubjects.projection("catalog"),
  stream: Stores.eventsStream,
  durable: "PROJ_CATALOG",
  filter_subjects: ["natster.events.*.*.*.catalog_shared", "natster.events.*.*.*.catalog_unshared"],
  ordered: true,
  batch_max_events: PROJECTION_BATCH_EVENTS,
};
