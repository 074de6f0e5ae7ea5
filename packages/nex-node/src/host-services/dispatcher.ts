import type { NatsConnection } from "@nats-io/nats-core";
import type { HostServicesSettings } from "../config.ts";
import type { HostCall, HostReply, HostServiceKind } from "../v8/messages.ts";
import { mangleLikeNexHost } from "./bytes.ts";
import { formatHostError, HostServiceFailure } from "./errors.ts";
import { httpService } from "./http.ts";
import { keyValueService } from "./kv.ts";
import { messagingService } from "./messaging.ts";
import { objectStoreService } from "./objectstore.ts";
import type { HostService } from "./service.ts";

/**
 * The host services of one workload, on that workload's own NATS connection. Values arrive as
 * the function passed them and are mangled here exactly like the real host mangles them.
 */
export function hostServices(
  nc: NatsConnection,
  settings: HostServicesSettings,
): (call: HostCall) => Promise<HostReply> {
  const services: Record<HostServiceKind, HostService> = {
    kv: keyValueService(nc, { maxBytes: settings.kvMaxBytes, autoProvision: settings.autoProvision }),
    objectstore: objectStoreService(nc, { maxBytes: settings.objectMaxBytes, autoProvision: settings.autoProvision }),
    messaging: messagingService(nc, settings.requestTimeoutMs),
    http: httpService(),
  };
  return async (call) => {
    try {
      if (!settings.enabled[call.service])
        throw new HostServiceFailure(400, `host service ${call.service} is not enabled on this node`);
      const service = services[call.service];
      const value = call.value ? mangleLikeNexHost(call.value) : undefined;
      return { seq: call.seq, ok: true, ...(await service({ ...call, value })) };
    } catch (e) {
      const failure = e instanceof HostServiceFailure ? e : new HostServiceFailure(500, (e as Error).message);
      return { seq: call.seq, ok: false, error: formatHostError(failure.code, failure.message) };
    }
  };
}
