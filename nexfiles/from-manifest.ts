import type { Nexfile } from "../infra/deploy/nexfile.ts";
import type { FunctionManifest, WorkloadManifest } from "./manifest.ts";

type Deployed = Omit<Nexfile["start_request"], "uri">;

/** A V8 function runs per trigger; a native workload is a service (restarted with backoff when it exits). */
const nexfile = (name: string, description: string, type: Nexfile["type"], start: Deployed): Nexfile => ({
  name,
  description,
  type,
  lifecycle: type === "v8" ? "function" : "service",
  tags: {},
  start_request: { uri: `nats://NEXCLIFILES/${name}`, ...start },
});

/** The Nexfile of the V8 function `functions/<name>`, from its manifest alone. */
export const functionNexfile = (name: string, m: FunctionManifest): Nexfile =>
  nexfile(name, m.description, "v8", {
    artifact: `functions/${name}/dist/${name}.js`,
    trigger_subjects: [...m.triggers],
    ...(m.jetstream ? { jetstream_trigger: m.jetstream } : {}),
  });

/** The Nexfile of the native workload `workloads/<name>`, from its manifest alone. */
export const workloadNexfile = (name: string, m: WorkloadManifest): Nexfile =>
  nexfile(name, m.description, "native", {
    artifact: `workloads/${name}/dist/${name}.mjs`,
    ...(m.environment ? { environment: m.environment } : {}),
    ...(m.identity ? { identity: m.identity } : {}),
    ...(m.jetstreamTriggersEnv ? { jetstream_triggers_env: m.jetstreamTriggersEnv } : {}),
  });
