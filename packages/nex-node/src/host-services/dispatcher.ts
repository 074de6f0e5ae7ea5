import type { NatsConnection } from "@nats-io/nats-core";
import type { HostServicesSettings } from "../config.ts";
import type { HostCall, HostCallHandler, HostReply, HostServiceKind } from "../v8/messages.ts";
import { mangleLikeNexHost } from "./bytes.ts";
import { formatHostError, HostServiceFailure } from "./errors.ts";
import { httpService } from "./http.ts";
import { keyValueService } from "./kv.ts";
import { messagingService } from "./messaging.ts";
import { objectStoreService } from "./objectstore.ts";
import type { HostService } from "./service.ts";

const failedGet = formatHostError(500, "failed to get value for key");

/**
 * The host services of one workload, on that workload's own NATS connection. Values arrive as
 * the function passed them and are mangled here exactly like the real host mangles them. A
 * `kv.get` on a bucket already opened is answered straight from its reply's callback (the
 * function's worker is blocked until then); every other call goes through its service.
 */
export function hostServices(nc: NatsConnection, settings: HostServicesSettings): HostCallHandler {
  const kv = keyValueService(nc, { maxBytes: settings.kvMaxBytes, autoProvision: settings.autoProvision });
  const services: Record<HostServiceKind, HostService> = {
    kv: kv.service,
    objectstore: objectStoreService(nc, { maxBytes: settings.objectMaxBytes, autoProvision: settings.autoProvision }),
    messaging: messagingService(nc, settings.requestTimeoutMs),
    http: httpService(),
  };
  const viaService = async (call: HostCall): Promise<HostReply> => {
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
  return (call, reply) => {
    const { seq } = call;
    const direct =
      call.service === "kv" &&
      call.method === "get" &&
      settings.enabled.kv &&
      kv.directGet(call.bucket ?? "", call.key ?? "", (bytes) =>
        reply(bytes ? { seq, ok: true, bytes } : { seq, ok: false, error: failedGet }),
      );
    if (!direct) void viaService(call).then(reply);
  };
}
