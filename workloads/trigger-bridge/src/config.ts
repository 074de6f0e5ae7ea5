import type { JetStreamTriggerSpec } from "@natster/protocol";
import { sharingProblem } from "./shared-durables.ts";
import { isValidSubjectFilter } from "./subjects.ts";

/** A spec with every default filled in. */
export type ResolvedTriggerSpec = Required<JetStreamTriggerSpec>;

export const TRIGGER_DEFAULTS = {
  ordered: true,
  max_deliver: 10,
  ack_wait_ms: 30_000,
  backoff_ms: [100, 200, 400, 800, 1600, 5000],
  request_timeout_ms: 5000,
  batch_max_events: 1,
  batch_max_bytes: 900_000,
  batch_max_parts: 1,
} as const;

/** nats-server's default max_payload; a batch must fit one message. */
const MAX_PAYLOAD_BYTES = 1024 * 1024;

export class BridgeConfigError extends Error {
  override name = "BridgeConfigError";
}

/** The env variable the bridge takes its triggers in (its manifest declares it, so the deploy fills it). */
export const BRIDGE_CONFIG_ENV = "NATSTER_BRIDGE_CONFIG";

/** Reads `NATSTER_BRIDGE_CONFIG`: a JSON array of JetStreamTriggerSpec. */
export function parseBridgeConfig(text: string | undefined): ResolvedTriggerSpec[] {
  if (!text?.trim())
    throw new BridgeConfigError(`${BRIDGE_CONFIG_ENV} is empty: expected a JSON array of trigger specs`);
  let specs: unknown;
  try {
    specs = JSON.parse(text);
  } catch (e) {
    throw new BridgeConfigError(`${BRIDGE_CONFIG_ENV} is not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(specs) || specs.length === 0)
    throw new BridgeConfigError(`${BRIDGE_CONFIG_ENV} must be a non-empty JSON array of trigger specs`);
  return resolveTriggerSpecs(specs);
}

export function resolveTriggerSpecs(specs: readonly unknown[]): ResolvedTriggerSpec[] {
  const resolved = specs.map((spec, i) => resolveTriggerSpec(spec, `spec[${i}]`));
  // Specs naming one durable share its consumer (shared-durables.ts), if they can.
  const first = new Map<string, ResolvedTriggerSpec>();
  for (const spec of resolved) {
    const key = `${spec.stream}/${spec.durable}`;
    const earlier = first.get(key);
    const problem = earlier && sharingProblem(earlier, spec);
    if (problem) throw new BridgeConfigError(`${problem} (stream ${spec.stream})`);
    if (!earlier) first.set(key, spec);
  }
  return resolved;
}

export function resolveTriggerSpec(input: unknown, where = "spec"): ResolvedTriggerSpec {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new BridgeConfigError(`${where} must be an object`);
  const field = (name: string): unknown => (input as Record<string, unknown>)[name];
  const fail = (message: string): never => {
    throw new BridgeConfigError(`${where}: ${message}`);
  };

  const trigger_subject = field("trigger_subject");
  if (typeof trigger_subject !== "string" || !isValidSubjectFilter(trigger_subject) || /[*>]/.test(trigger_subject))
    fail("trigger_subject must be a literal NATS subject");
  const stream = requireName(field("stream"), "stream", fail);
  const durable = requireName(field("durable"), "durable", fail);
  const filters = field("filter_subjects") ?? [];
  if (!Array.isArray(filters) || !filters.every((f): f is string => typeof f === "string" && isValidSubjectFilter(f)))
    fail("filter_subjects must be an array of valid subject filters");

  const ordered = field("ordered") ?? TRIGGER_DEFAULTS.ordered;
  if (typeof ordered !== "boolean") fail("ordered must be a boolean");
  const max_deliver = positiveInt(field("max_deliver") ?? TRIGGER_DEFAULTS.max_deliver, "max_deliver", fail);
  const ack_wait_ms = positiveInt(field("ack_wait_ms") ?? TRIGGER_DEFAULTS.ack_wait_ms, "ack_wait_ms", fail);
  const request_timeout_ms = positiveInt(
    field("request_timeout_ms") ?? TRIGGER_DEFAULTS.request_timeout_ms,
    "request_timeout_ms",
    fail,
  );
  const backoff = field("backoff_ms") ?? TRIGGER_DEFAULTS.backoff_ms;
  if (!Array.isArray(backoff) || !backoff.every((ms): ms is number => Number.isInteger(ms) && (ms as number) >= 0))
    fail("backoff_ms must be an array of non-negative integers (milliseconds)");
  if (ack_wait_ms < 1000) fail("ack_wait_ms must be at least 1000");
  const batch_max_events = positiveInt(
    field("batch_max_events") ?? TRIGGER_DEFAULTS.batch_max_events,
    "batch_max_events",
    fail,
  );
  const batch_max_bytes = positiveInt(
    field("batch_max_bytes") ?? TRIGGER_DEFAULTS.batch_max_bytes,
    "batch_max_bytes",
    fail,
  );
  if (batch_max_bytes > MAX_PAYLOAD_BYTES - 4096)
    fail(`batch_max_bytes must leave room under the ${MAX_PAYLOAD_BYTES}-byte max_payload`);
  const batch_max_parts = positiveInt(
    field("batch_max_parts") ?? TRIGGER_DEFAULTS.batch_max_parts,
    "batch_max_parts",
    fail,
  );
  // The server redelivers a message we still work on once ack_wait passes, so a reply must come first.
  if (request_timeout_ms >= ack_wait_ms)
    fail(`request_timeout_ms (${request_timeout_ms}) must be below ack_wait_ms (${ack_wait_ms})`);

  return {
    trigger_subject: trigger_subject as string,
    stream,
    durable,
    filter_subjects: [...(filters as string[])],
    ordered: ordered as boolean,
    max_deliver,
    ack_wait_ms,
    backoff_ms: [...(backoff as number[])],
    request_timeout_ms,
    batch_max_events,
    batch_max_bytes,
    batch_max_parts,
  };
}

function requireName(value: unknown, name: string, fail: (m: string) => never): string {
  if (typeof value !== "string" || !/^[A-Za-z0-9_-]+$/.test(value))
    return fail(`${name} must be a name of letters, digits, '-' or '_'`);
  return value;
}

function positiveInt(value: unknown, name: string, fail: (m: string) => never): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1)
    return fail(`${name} must be a positive integer`);
  return value;
}
