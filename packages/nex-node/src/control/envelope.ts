/** Every control reply is wrapped in `{type, data, error}` (control-api/types.go `Envelope`). */
export type Envelope<T> = { type: string; data?: T; error?: string };

export const RESPONSE_TYPES = {
  auction: "io.nats.nex.v1.auction_response",
  info: "io.nats.nex.v1.info_response",
  ping: "io.nats.nex.v1.ping_response",
  run: "io.nats.nex.v1.run_response",
  stop: "io.nats.nex.v1.stop_response",
  workloadPing: "io.nats.nex.v1.workload_ping_response",
} as const;

export const okEnvelope = <T>(type: string, data: T): Envelope<T> => ({ type, data });
export const failEnvelope = (type: string, error: string): Envelope<never> => ({ type, error });

/** A control request the node refused; `message` is the envelope's error. */
export class NexControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NexControlError";
  }
}

export function unwrapEnvelope<T>(envelope: Envelope<T>): T {
  if (envelope.error !== undefined && envelope.error !== null && envelope.error !== "")
    throw new NexControlError(String(envelope.error));
  if (envelope.data === undefined) throw new NexControlError(`empty ${envelope.type} envelope`);
  return envelope.data;
}
