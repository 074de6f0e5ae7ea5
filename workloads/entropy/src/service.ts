import type { NatsConnection } from "@nats-io/nats-core";
import { Svcm, type Service } from "@nats-io/services";
import { InternalSubjects, MAX_ENTROPY_BYTES, fail, type EntropyReply, type Envelope } from "@natster/protocol";
import { randomBytes } from "node:crypto";

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * `{bytes: n}` → `{hex}` with n cryptographically random bytes (1..64). Bad input gets a 400
 * envelope. Nex V8 functions have no crypto; they ask this service instead.
 */
export function entropyReply(
  data: Uint8Array,
  random: (n: number) => Uint8Array = randomBytes,
): EntropyReply | Envelope<never> {
  let request: unknown;
  try {
    request = JSON.parse(dec.decode(data));
  } catch {
    return fail(400, "BAD_JSON", "the request is not valid JSON");
  }
  const bytes = (request as { bytes?: unknown } | null)?.bytes;
  if (typeof bytes !== "number" || !Number.isInteger(bytes) || bytes < 1 || bytes > MAX_ENTROPY_BYTES) {
    return fail(400, "BAD_REQUEST", `bytes must be an integer from 1 to ${MAX_ENTROPY_BYTES}`);
  }
  return { hex: Buffer.from(random(bytes)).toString("hex") };
}

/** Starts `natster-entropy` on `natster.internal.entropy` (NATSTER_GLOBAL only: not exported). */
export async function startEntropy(nc: NatsConnection): Promise<Service> {
  const service = await new Svcm(nc).add({
    name: "natster-entropy",
    version: "0.1.0",
    description: "Cryptographic randomness for the global service's Nex functions",
    queue: "natster-entropy",
  });
  service.addEndpoint("entropy", {
    subject: InternalSubjects.entropy,
    handler: (err, msg) => {
      if (err) return;
      msg.respond(enc.encode(JSON.stringify(entropyReply(msg.data))));
    },
  });
  return service;
}
