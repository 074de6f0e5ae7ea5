import { PermissionViolationError, RequestError, TimeoutError, type NatsConnection } from "@nats-io/nats-core";
import { isErrorCode, NatsterError, type ErrorCode } from "@natster/protocol";

export const REQUEST_TIMEOUT_MS = 5_000;

const enc = new TextEncoder();
const dec = new TextDecoder();

const STATUS_CODES: Record<number, ErrorCode> = { 400: "BAD_REQUEST", 403: "FORBIDDEN", 404: "NOT_FOUND", 413: "PAYLOAD_TOO_LARGE" };

/** Reads an upstream envelope `{code, data, error, error_code}`: the data, or a NatsterError. */
export function readEnvelope<T>(raw: unknown): T {
  if (typeof raw !== "object" || raw === null || typeof (raw as { code?: unknown }).code !== "number") {
    throw new NatsterError("INTERNAL", "the reply is not a Natster envelope");
  }
  const envelope = raw as { code: number; data?: unknown; error?: unknown; error_code?: unknown };
  if (envelope.code === 200) return envelope.data as T;
  const code = isErrorCode(envelope.error_code) ? envelope.error_code : (STATUS_CODES[envelope.code] ?? "INTERNAL");
  const message = typeof envelope.error === "string" ? envelope.error : `refused with code ${envelope.code}`;
  throw new NatsterError(code, message);
}

/** A request/reply in the envelope convention; no responders and timeouts become stable codes. */
export async function requestEnvelope<T>(nc: NatsConnection, subject: string, body?: unknown, timeout = REQUEST_TIMEOUT_MS): Promise<T> {
  const payload = body === undefined ? new Uint8Array(0) : enc.encode(JSON.stringify(body));
  let data: Uint8Array;
  try {
    data = (await nc.request(subject, payload, { timeout })).data;
  } catch (error) {
    throw requestFailure(error, subject);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(dec.decode(data));
  } catch {
    throw new NatsterError("INTERNAL", `${subject} answered something that is not JSON`);
  }
  return readEnvelope<T>(parsed);
}

function requestFailure(error: unknown, subject: string): NatsterError {
  if (error instanceof TimeoutError) return new NatsterError("TIMEOUT", `${subject} did not answer in time`);
  if (error instanceof RequestError && error.isNoResponders()) return new NatsterError("CATALOG_OFFLINE", `nobody answers ${subject}`);
  if (error instanceof PermissionViolationError) return new NatsterError("FORBIDDEN", `this browser login may not use ${subject}`);
  return new NatsterError("INTERNAL", error instanceof Error ? error.message : String(error));
}

export const errorCodeOf = (error: unknown): ErrorCode | undefined => (error instanceof NatsterError ? error.code : undefined);
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
