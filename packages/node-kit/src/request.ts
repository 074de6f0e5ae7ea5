import type { NatsConnection } from "@nats-io/nats-core";
import { isErrorCode, NatsterError, type Envelope } from "@natster/protocol";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Requests `subject` with a JSON body and unwraps the `{code, data, error}` envelope; failures throw NatsterError. */
export async function requestEnvelope<T>(
  nc: NatsConnection,
  subject: string,
  body: unknown,
  timeout = 5000,
): Promise<T> {
  const payload = body === undefined ? new Uint8Array() : body instanceof Uint8Array ? body : enc.encode(JSON.stringify(body));
  const reply = await nc.request(subject, payload, { timeout });
  const envelope = JSON.parse(dec.decode(reply.data)) as Envelope<T> & { error_code?: string };
  if (envelope.code !== 200) {
    const code = isErrorCode(envelope.error_code) ? envelope.error_code : "INTERNAL";
    throw new NatsterError(code, envelope.error ?? `request failed with code ${String(envelope.code)}`);
  }
  return envelope.data as T;
}
