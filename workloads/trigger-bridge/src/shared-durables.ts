import type { ResolvedTriggerSpec } from "./config.ts";
import { matchesAnyFilter } from "./subjects.ts";

/**
 * One durable consumer and the functions it feeds. Specs naming the same durable on the same
 * stream share it: each message is delivered and decoded once, and each function gets the events
 * matching its own filters. `consumer` is the spec the consumer is made from: the first member's
 * settings with every member's filters (a filter another one covers left out).
 */
export type ConsumerGroup = { consumer: ResolvedTriggerSpec; members: readonly GroupMember[] };

/** A function of a group, and whether the bridge must pick its events out of the consumer's. */
export type GroupMember = { spec: ResolvedTriggerSpec; filterClientSide: boolean };

/** Why `spec` cannot share `first`'s durable, or undefined when it can. */
export function sharingProblem(first: ResolvedTriggerSpec, spec: ResolvedTriggerSpec): string | undefined {
  const batched = (s: ResolvedTriggerSpec) => s.ordered && s.batch_max_events > 1;
  if (!batched(first) || !batched(spec))
    return `only ordered batched specs (batch_max_events > 1) may share durable ${spec.durable}`;
  if (first.trigger_subject === spec.trigger_subject)
    return `two specs on durable ${spec.durable} share trigger_subject ${spec.trigger_subject}`;
  if (first.ack_wait_ms !== spec.ack_wait_ms || first.batch_max_events !== spec.batch_max_events)
    return `specs sharing durable ${spec.durable} must agree on ack_wait_ms and batch_max_events`;
  return undefined;
}

/** The specs grouped by stream and durable, in the order each durable first appears. */
export function groupByDurable(specs: readonly ResolvedTriggerSpec[]): ConsumerGroup[] {
  const byDurable = new Map<string, ResolvedTriggerSpec[]>();
  for (const spec of specs) {
    const key = `${spec.stream}/${spec.durable}`;
    byDurable.set(key, [...(byDurable.get(key) ?? []), spec]);
  }
  return [...byDurable.values()].map((specs) => {
    const first = specs[0] as ResolvedTriggerSpec;
    if (specs.length === 1) return { consumer: first, members: [{ spec: first, filterClientSide: false }] };
    const filters = unionOfFilters(specs);
    return {
      consumer: { ...first, filter_subjects: filters },
      members: specs.map((spec) => ({ spec, filterClientSide: !coversAll(spec.filter_subjects, filters) })),
    };
  });
}

/** Every member's filters, without those another one covers; empty (the whole stream) if any member has none. */
function unionOfFilters(specs: readonly ResolvedTriggerSpec[]): string[] {
  if (specs.some((s) => s.filter_subjects.length === 0)) return [];
  const all = [...new Set(specs.flatMap((s) => s.filter_subjects))];
  return all.filter((f, i) => !all.some((g, j) => j !== i && filterCovers(g, f) && (!filterCovers(f, g) || j < i)));
}

/** True when `filters` (empty: everything) match every subject that `wanted` (empty: everything) does. */
function coversAll(filters: readonly string[], wanted: readonly string[]): boolean {
  if (filters.length === 0) return true;
  if (wanted.length === 0) return false;
  return wanted.every((w) => filters.some((f) => filterCovers(f, w)));
}

/** True when every subject matching filter `b` also matches filter `a`. */
export function filterCovers(a: string, b: string): boolean {
  const at = a.split(".");
  const bt = b.split(".");
  for (let i = 0; i < at.length; i++) {
    const token = at[i];
    if (token === ">") return i < bt.length;
    if (i >= bt.length || bt[i] === ">") return false;
    if (token !== "*" && (bt[i] === "*" || token !== bt[i])) return false;
  }
  return at.length === bt.length;
}

/** The events of `all` a member takes (all of them unless its filters must be applied here). */
export function eventsFor<T>(
  member: GroupMember,
  all: readonly T[],
  subjectOf: (e: T) => string = (e) => (e as { subject: string }).subject,
  tokensOf?: (e: T) => readonly string[],
): readonly T[] {
  const filters = member.spec.filter_subjects;
  return member.filterClientSide ? all.filter((e) => matchesAnyFilter(filters, subjectOf(e), tokensOf?.(e))) : all;
}
