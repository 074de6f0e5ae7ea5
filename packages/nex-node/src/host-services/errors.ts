/**
 * A failed host-service call as the host reports it: an HTTP-like code and a message
 * (`ServiceResultFail`, host-services/service.go).
 */
export class HostServiceFailure extends Error {
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.name = "HostServiceFailure";
    this.code = code;
  }
}

/** What the JS function catches: a plain string "Error: <msg> (<code>)" (`ServiceResult.Error()`). */
export function formatHostError(code: number, message: string): string {
  return `Error: ${message} (${code})`;
}

/** The message the 0.x agent throws when a value handed to a host service is not a Uint8Array. */
export function notUint8ArrayMessage(described: string): string {
  return `failed to marshal v8 value to []byte: ${described}; only Uint8[] is supported`;
}
