import type { NatsConnection } from "@nats-io/nats-core";
import { HeartbeatSubjects, type Heartbeat } from "@natster/protocol";
import { encodeJson } from "@natster/node-kit";

export const DEFAULT_HEARTBEAT_MS = 30_000;

export type Heartbeats = {
  /** Announces the current revision now (start, timer, every catalog change). */
  beat(): void;
  /** Stops the timer and announces that the catalog went offline; resolves once flushed. */
  offline(): Promise<void>;
};

/**
 * Heartbeats to the global service (through the user's global import) and to the owner's own
 * account (the website listens there). Offline goes to both too, so the global service drops the
 * catalog at once instead of after its TTL (upstream bug 7).
 */
export function startHeartbeats(
  nc: NatsConnection,
  current: () => Heartbeat,
  intervalMs: number,
  log: (line: string) => void,
): Heartbeats {
  const publish = (subject: string, payload: unknown) => {
    try {
      nc.publish(subject, encodeJson(payload));
    } catch (e) {
      log(`heartbeat to ${subject} failed: ${(e as Error).message}`);
    }
  };
  const beat = () => {
    const heartbeat = current();
    publish(HeartbeatSubjects.globalPut, heartbeat);
    publish(HeartbeatSubjects.localHeartbeat, heartbeat);
  };
  beat();
  const timer = setInterval(beat, intervalMs);
  return {
    beat,
    async offline() {
      clearInterval(timer);
      const heartbeat = current();
      publish(HeartbeatSubjects.globalOffline, { catalog: heartbeat.catalog });
      publish(HeartbeatSubjects.localOffline, heartbeat);
      await nc.flush().catch(() => undefined);
    },
  };
}
