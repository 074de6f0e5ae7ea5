import type { NatsConnection } from "@nats-io/nats-core";
import { HostServiceFailure } from "./errors.ts";
import { jsonOk, type HostService } from "./service.ts";

/** `messaging.publish/request` (host-services/builtins/messaging.go); requestMany never reaches the host. */
export function messagingService(nc: NatsConnection, requestTimeoutMs: number): HostService {
  return async (call) => {
    const subject = call.subject ?? "";
    if (subject === "") throw new HostServiceFailure(400, "subject is required");
    const data = call.value ?? new Uint8Array(0);
    switch (call.method) {
      case "publish":
        try {
          nc.publish(subject, data);
        } catch {
          throw new HostServiceFailure(500, "failed to publish message");
        }
        return jsonOk({ success: true });
      case "request":
        try {
          return { bytes: (await nc.request(subject, data, { timeout: requestTimeoutMs })).data };
        } catch {
          throw new HostServiceFailure(500, "failed to send request");
        }
      default:
        throw new HostServiceFailure(400, "unknown method");
    }
  };
}
