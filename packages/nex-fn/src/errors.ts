/**
 * A failed host-service call. The host throws plain strings shaped "Error: <msg> (<code>)"
 * (Go `ServiceResult.Error()`); `code` is 0 when the thrown value has no such code.
 */
export class HostError extends Error {
  // `declare`: no emitted class field, so no down-levelling helper in the es2020 bundle.
  declare readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.code = code;
    this.name = "HostError";
  }
}

/** Accepts anything a host call may throw: a string, an Error (from any realm) or a HostError. */
export function parseHostError(thrown: unknown): HostError {
  if (thrown instanceof HostError) return thrown;
  const raw = (thrown as { message?: unknown } | null | undefined)?.message ?? thrown;
  const m = /^(?:Error: )?(.*?)(?: \((\d+)\))?$/s.exec(String(raw)) as RegExpExecArray;
  return new HostError(+(m[2] ?? 0), m[1] as string);
}

/** A missing KV key (the host reports it as a generic 500) or a missing object (404). */
export function isNotFound(e: HostError): boolean {
  return e.code === 404 || (e.code === 500 && e.message === "failed to get value for key");
}
