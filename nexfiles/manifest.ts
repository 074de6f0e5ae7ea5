import {
  InternalSubjects,
  PROJECTION_BATCH_EVENTS,
  PROJECTION_BATCH_PARTS,
  Stores,
  Subjects,
  type JetStreamTriggerSpec,
  type ProjectionName,
} from "@natster/protocol";

/** Which stack user a native workload connects as; without one it runs as the node's own `NATSTER_GLOBAL` user. */
export type WorkloadIdentity = "global" | "authority" | "hub";

/**
 * What a Nex V8 function declares about itself in `functions/<name>/manifest.ts` (export `manifest`).
 * Its Nexfile is generated from this alone; the function's bundle never imports it.
 */
export type FunctionManifest = {
  description: string;
  /** Core-NATS trigger subjects the function answers (queue group = subject). */
  triggers: readonly string[];
  /** A projection's JetStream trigger: the bridge feeds the stream to `trigger_subject`, one of `triggers`. */
  jetstream?: JetStreamTriggerSpec;
};

/** A function of the global API: it answers `natster.global.<caller>.<ops>`, the caller's key being the export's account token. */
export const globalApiManifest = (ops: string, description: string): FunctionManifest => ({
  description,
  triggers: [Subjects.globalFromCaller("*", ops)],
});

/**
 * The durable both projections share on NATSTER_EVENTS: the trigger bridge fetches each event once
 * and calls every projection with it (specs naming one durable share its consumer).
 */
export const PROJECTIONS_DURABLE = "PROJECTIONS";

/**
 * A projection: the trigger bridge's durable `durable` follows the event log in order, in batches,
 * and requests `natster.internal.projections.<projection>` with them.
 */
export function projectionManifest(p: {
  projection: ProjectionName;
  description: string;
  durable: string;
  filterSubjects: string[];
}): FunctionManifest {
  const trigger = InternalSubjects.projection(p.projection);
  return {
    description: p.description,
    triggers: [trigger],
    jetstream: {
      trigger_subject: trigger,
      stream: Stores.eventsStream,
      durable: p.durable,
      filter_subjects: p.filterSubjects,
      ordered: true,
      batch_max_events: PROJECTION_BATCH_EVENTS,
      batch_max_parts: PROJECTION_BATCH_PARTS,
    },
  };
}

/**
 * What a native workload that `natster up` runs on every global node declares in
 * `workloads/<name>/manifest.ts` (export `manifest`). Its Nexfile is generated from this alone.
 */
export type WorkloadManifest = {
  description: string;
  /** Deploy env; `${VAR}` is expanded from the deploying machine's variables. */
  environment?: Record<string, string>;
  identity?: WorkloadIdentity;
  /**
   * The workload takes every function's JetStream trigger, as a JSON array of JetStreamTriggerSpec,
   * in this env variable. It then requests the functions, so it is deployed after them.
   */
  jetstreamTriggersEnv?: string;
};
