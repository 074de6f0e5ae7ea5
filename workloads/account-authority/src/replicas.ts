import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { Stores } from "@natster/protocol";

export const NONCE_REPLICAS_ENV = "NATSTER_NONCE_REPLICAS";

/**
 * The nonce bucket's replicas: `NATSTER_NONCE_REPLICAS` when set (1 to 5), else as many as the
 * event log has (the stack provisions it R1 on one server, R3 on a cluster), else 1.
 */
export function chooseReplicas(env: Record<string, string | undefined>, eventLogReplicas: number | undefined): number {
  const set = env[NONCE_REPLICAS_ENV];
  if (set !== undefined && set !== "") {
    const n = Number(set);
    if (!Number.isInteger(n) || n < 1 || n > 5)
      throw new Error(`${NONCE_REPLICAS_ENV} must be a whole number from 1 to 5, not '${set}'`);
    return n;
  }
  return eventLogReplicas && eventLogReplicas > 0 ? eventLogReplicas : 1;
}

/** The event log's replicas, or undefined when it is not there (yet). */
export async function eventLogReplicas(nc: NatsConnection): Promise<number | undefined> {
  try {
    return (await (await jetstreamManager(nc)).streams.info(Stores.eventsStream)).config.num_replicas;
  } catch {
    return undefined;
  }
}
