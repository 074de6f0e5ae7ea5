import type { JetStreamTriggerBatch, JetStreamTriggerEvent } from "@natster/protocol";

/** The bridge's compact batch form (CompactTriggerRow) of `events`, built independently of the bridge. */
export function compactBatch(
  stream: string,
  through: number,
  events: readonly JetStreamTriggerEvent[],
  reads?: string,
): JetStreamTriggerBatch {
  const tokens: string[] = [];
  const index = (token: string) => (tokens.includes(token) ? tokens.indexOf(token) : tokens.push(token) - 1);
  const timeBase = events.length > 0 ? Date.parse(events[0]!.time) : 0;
  return {
    stream,
    through,
    ...(reads === undefined ? {} : { reads }),
    tokens,
    time_base: timeBase,
    rows: events.map((e) => [
      e.seq,
      e.subject.split(".").map(index),
      e.delivery,
      Date.parse(e.time) - timeBase,
      e.data,
    ]),
  };
}
