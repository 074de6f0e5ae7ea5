import { isErrorCode, NatsterError, type ErrorCode } from "./errors.ts";

/** Upstream's reply envelope, plus a stable machine-readable `error_code` on failures. */
export type Envelope<T> =
  | { code: 200; data: T; error?: undefined }
  | { code: number; data: null; error: string; error_code: ErrorCode };

export const ok = <T>(data: T): Envelope<T> => ({ code: 200, data });

export const fail = (code: number, errorCode: ErrorCode, error: string): Envelope<never> => ({
  code,
  data: null,
  error,
  error_code: errorCode,
});

export const isFailure = <T>(e: Envelope<T>): e is Extract<Envelope<T>, { data: null }> => e.code !== 200;

/** The code of an error envelope without `error_code` (upstream's servers send only the status). */
const STATUS_FALLBACK: Record<number, ErrorCode> = {
  400: "BAD_REQUEST",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  413: "PAYLOAD_TOO_LARGE",
  416: "RANGE_NOT_SATISFIABLE",
};

/** A request body on the wire: nothing, raw bytes as they are, anything else as JSON. */
export function encodeRequestBody(body: unknown): Uint8Array {
  if (body === undefined) return new Uint8Array(0);
  if (body instanceof Uint8Array) return body;
  return new TextEncoder().encode(JSON.stringify(body));
}

/** Reads an envelope `{code, data, error, error_code}`: the data, or a NatsterError (INTERNAL for anything that is no envelope). */
export function readEnvelope<T>(raw: unknown, from = "the service"): T {
  if (typeof raw !== "object" || raw === null || typeof (raw as { code?: unknown }).code !== "number") {
    throw new NatsterError("INTERNAL", `${from} answered something that is not a Natster envelope`);
  }
  const envelope = raw as { code: number; data?: unknown; error?: unknown; error_code?: unknown };
  if (envelope.code === 200) return envelope.data as T;
  const code = isErrorCode(envelope.error_code) ? envelope.error_code : (STATUS_FALLBACK[envelope.code] ?? "INTERNAL");
  const message = typeof envelope.error === "string" ? envelope.error : `${from} refused with code ${envelope.code}`;
  throw new NatsterError(code, message);
}

/** Decodes a reply's bytes as an envelope (not JSON is INTERNAL, like any other bad envelope). */
export function decodeEnvelope<T>(data: Uint8Array, from = "the service"): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(data));
  } catch {
    throw new NatsterError("INTERNAL", `${from} answered something that is not JSON`);
  }
  return readEnvelope<T>(parsed, from);
}
