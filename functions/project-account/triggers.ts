import { InternalSubjects, PROJECTION_BATCH_EVENTS, Stores, type JetStreamTriggerSpec } from "@natster/protocol";

/** Core-NATS trigger subject the JetStream trigger bridge requests with each event. */
export const triggers = [InternalSubjects.projection("account")] as const;

/** PROJ_ACCOUNT (and PROJ_STATS) follow every event in log order. */
export const jetstream: JetStreamTriggerSpec = {
  trigger_subject: InternalSubjects.projection("account"),
  stream: Stores.eventsStream,
  durable: "PROJ_ACCOUNT",
  filter_subjects: [Stores.eventsSubjects],
  ordered: true,
  batch_max_events: PROJECTION_BATCH_EVENTS,
};
