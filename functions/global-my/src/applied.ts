import { PROJECTION_NAMES, type AppliedReply, type EventType, type ProjectionName } from "@natster/protocol";
import { reject } from "../../_lib/src/rejection.ts";

/** The projections that consume an event type (project-catalog's bridge filter takes only these two). */
export function projectionsOf(type: EventType): ProjectionName[] {
  return type === "catalog_shared" || type === "catalog_unshared" ? ["account", "catalog"] : ["account"];
}

/** `my.applied`: `{seq}` in; a positive integer sequence, else BAD_REQUEST. */
export function parseAppliedRequest(body: unknown): number {
  const seq = (body as { seq?: unknown } | null)?.seq;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1)
    reject("BAD_REQUEST", "seq must be a positive integer (the seq events.put answered)");
  return seq;
}

/** Applied when every projection that consumes the event has read the log through its sequence. */
export function appliedReply(
  seq: number,
  type: EventType | undefined,
  cursors: Record<ProjectionName, number>,
): AppliedReply {
  if (!type) reject("NOT_FOUND", `there is no event ${seq} in the log`);
  const projections = Object.fromEntries(PROJECTION_NAMES.map((p) => [p, cursors[p]])) as Record<
    ProjectionName,
    number
  >;
  return { seq, applied: projectionsOf(type).every((p) => cursors[p] >= seq), projections };
}
