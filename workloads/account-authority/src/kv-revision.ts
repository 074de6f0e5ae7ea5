import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";

/** The store refused a write made at an expected revision: someone else wrote the key first. */
export const wrongRevision = (e: unknown): boolean =>
  e instanceof JetStreamApiError &&
  (e.code === JetStreamApiCodes.StreamWrongLastSequence || e.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown);
