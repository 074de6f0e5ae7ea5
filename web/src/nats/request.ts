import { NatsterError, type ErrorCode } from "@natster/protocol";

/** Requests go through `requestEnvelope` of `@natster/protocol`: one codec and one failure mapping. */
export const errorCodeOf = (error: unknown): ErrorCode | undefined =>
  error instanceof NatsterError ? error.code : undefined;
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
