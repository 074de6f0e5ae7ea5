import type { ErrorCode } from "@natster/protocol";

/**
 * A request the service turns down: the adapters reply a 4xx envelope with this code. Pure cores
 * throw it (like Emmett's deciders throw IllegalStateError); it never escapes a function.
 */
export class Rejection extends Error {
  // `declare`: no emitted class field, so no down-levelling helper in the es2020 bundle.
  declare readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export function reject(code: ErrorCode, message: string): never {
  throw new Rejection(code, message);
}
