import type { JetStreamTriggerSpec } from "@natster/protocol";
import type { Nexfile } from "./nexfile.ts";

/** Every function Nexfile's JetStream trigger. */
export const jetstreamTriggers = (nexfiles: readonly Nexfile[]): JetStreamTriggerSpec[] =>
  nexfiles.flatMap((n) => (n.start_request.jetstream_trigger ? [n.start_request.jetstream_trigger] : []));

/** The workloads that take the functions' JetStream triggers (`jetstream_triggers_env`): the trigger bridge. */
export const triggerBridges = (nexfiles: readonly Nexfile[]): Nexfile[] =>
  nexfiles.filter((n) => n.start_request.jetstream_triggers_env !== undefined);

/**
 * Services first (the functions call them), then the functions, then what takes the functions'
 * JetStream triggers (it requests the functions as soon as it runs).
 */
const phase = (n: Nexfile): number =>
  n.start_request.jetstream_triggers_env !== undefined ? 2 : n.type === "native" ? 0 : 1;

/** The Nexfiles in the order a node gets them (stable within a phase). */
export const deployOrder = (nexfiles: readonly Nexfile[]): Nexfile[] =>
  [...nexfiles].sort((a, b) => phase(a) - phase(b));

/** The env a Nexfile gets at deploy from the others: its `jetstream_triggers_env` holds every function's JetStream trigger. */
export function derivedEnvironment(nexfile: Nexfile, all: readonly Nexfile[]): Record<string, string> {
  const name = nexfile.start_request.jetstream_triggers_env;
  return name === undefined ? {} : { [name]: JSON.stringify(jetstreamTriggers(all)) };
}
