import type { ErrorCode } from "./errors.ts";

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
