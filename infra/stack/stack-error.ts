/** Stable codes for what can go wrong starting or stopping the local stack. */
export type StackErrorCode =
  | "PORT_TAKEN"
  | "NATS_SERVER_MISSING"
  | "START_FAILED"
  | "NOT_RUNNING"
  | "BAD_LISTEN"
  | "REAL_NEX_MISSING"
  | "NEX_KIND_MISMATCH"
  | "CLUSTER_MISMATCH"
  | "BAD_PORTS"
  | "BAD_CLUSTER_SIZE";

export class StackError extends Error {
  constructor(
    readonly code: StackErrorCode,
    message: string,
  ) {
    super(message);
    this.name = `StackError [${code}]`;
  }
}
