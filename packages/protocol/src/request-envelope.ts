import { decodeEnvelope, encodeRequestBody } from "./envelope.ts";
import { requestFailure, requestTargetOf } from "./request-failure.ts";

/** What a request/reply needs of a NATS connection (nats-core's NatsConnection, in Node or a browser). */
export type RequestConnection = {
  request(subject: string, payload: Uint8Array, opts: { timeout: number }): Promise<{ data: Uint8Array }>;
};

export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

/**
 * A request/reply in the envelope convention: resolves with the data; every failure (nobody answers,
 * no answer in time, a bad or error envelope) throws a NatsterError with the code `requestFailure` gives.
 */
export async function requestEnvelope<T>(
  nc: RequestConnection,
  subject: string,
  body?: unknown,
  timeout = DEFAULT_REQUEST_TIMEOUT_MS,
): Promise<T> {
  let data: Uint8Array;
  try {
    data = (await nc.request(subject, encodeRequestBody(body), { timeout })).data;
  } catch (error) {
    throw requestFailure(error, requestTargetOf(subject), timeout);
  }
  return decodeEnvelope<T>(data, subject);
}
