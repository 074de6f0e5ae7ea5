import type { Nexfile } from "../infra/deploy/nexfile.ts";
import type { FunctionManifest, WorkloadManifest } from "./manifest.ts";

/** The Nexfile of the V8 function `functions/<name>`, from its manifest alone. */
export const functionNexfile = (name: string, m: FunctionManifest): Nexfile => ({
  name,
  description: m.description,
  type: "v8",
  lifecycle: "function",
  tags: {},
  start_request: {
    uri: `nats://NEXCLIFILES/${name}`,
    artifact: `functions/${name}/dist/${name}.js`,
    trigger_subjects: [...m.triggers],
    ...(m.jetstream ? { jetstream_trigger: m.jetstream } : {}),
  },
});

/** The Nexfile of the native workload `workloads/<name>`, from its manifest alone. */
export const workloadNexfile = (name: string, m: WorkloadManifest): Nexfile => ({
  name,
  description: m.description,
  type: "native",
  lifecycle: "service",
  tags: {},
  start_request: {
    uri: `nats://NEXCLIFILES/${name}`,
    artifact: `workloads/${name}/dist/${name}.mjs`,
    ...(m.environment ? { environment: m.environment } : {}),
    ...(m.identity ? { identity: m.identity } : {}),
    ...(m.jetstreamTriggersEnv ? { jetstream_triggers_env: m.jetstreamTriggersEnv } : {}),
  },
});
