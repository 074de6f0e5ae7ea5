import { type JetStreamTriggerSpec, WORKLOAD_NAME } from "@natster/protocol";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { WorkloadIdentity } from "../../nexfiles/manifest.ts";

/**
 * A Nexfile in Nex v1's shape (`name`, `description`, `type`, `lifecycle`, `tags`, `start_request`).
 * `start_request` carries the Nex fields (`uri`, `trigger_subjects`, `environment`, `argv`) plus
 * natster keys that real Nex ignores: `artifact` (the local file `natster up` uploads to the
 * `uri`), `identity` (which stack user the workload connects as), `jetstream_trigger` and
 * `jetstream_triggers_env` (the env variable that takes every function's `jetstream_trigger`).
 */
export type Nexfile = {
  name: string;
  description: string;
  type: "v8" | "native";
  lifecycle: "function" | "service" | "job";
  tags: Record<string, string>;
  start_request: {
    uri: string;
    artifact: string;
    trigger_subjects?: string[];
    environment?: Record<string, string>;
    argv?: string[];
    essential?: boolean;
    identity?: WorkloadIdentity;
    jetstream_trigger?: JetStreamTriggerSpec;
    jetstream_triggers_env?: string;
  };
};

export class NexfileError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "NexfileError";
  }
}

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses JSON first, then YAML (as the Nex CLI does), and checks the fields we rely on. */
export function parseNexfile(file: string, text: string): Nexfile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = parse(text);
  }
  if (!isRecord(doc)) throw new NexfileError(file, "not an object");
  for (const field of ["name", "type", "lifecycle", "start_request"]) {
    if (!(field in doc)) throw new NexfileError(file, `missing required field '${field}'`);
  }
  const n = doc as Nexfile;
  if (!WORKLOAD_NAME.test(n.name)) throw new NexfileError(file, `name '${n.name}' must match ${String(WORKLOAD_NAME)}`);
  if (n.type !== "v8" && n.type !== "native") throw new NexfileError(file, `type must be v8 or native`);
  if (!["function", "service", "job"].includes(n.lifecycle))
    throw new NexfileError(file, `lifecycle must be function, service or job`);
  const sr = n.start_request;
  if (!isRecord(sr) || typeof sr.uri !== "string" || typeof sr.artifact !== "string") {
    throw new NexfileError(file, "start_request needs uri and artifact");
  }
  if (n.type === "v8" && (!Array.isArray(sr.trigger_subjects) || sr.trigger_subjects.length === 0)) {
    throw new NexfileError(file, "a v8 function needs at least one trigger subject");
  }
  if (n.type === "native" && sr.trigger_subjects?.length)
    throw new NexfileError(file, "native workloads take no trigger subjects");
  if (
    sr.jetstream_triggers_env !== undefined &&
    (n.type !== "native" || !ENV_NAME.test(String(sr.jetstream_triggers_env)))
  ) {
    throw new NexfileError(
      file,
      `jetstream_triggers_env must be an env variable name (${String(ENV_NAME)}) of a native workload`,
    );
  }
  return { ...n, description: n.description ?? "", tags: n.tags ?? {} };
}

export function loadNexfiles(dir: string): Nexfile[] {
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => parseNexfile(f, readFileSync(join(dir, f), "utf8")));
}

/** Expands `${VAR}` in environment values from the deploying machine's variables. */
export function expandEnvironment(
  env: Record<string, string> | undefined,
  vars: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env ?? {})) {
    out[k] = v.replace(/\$\{([A-Z0-9_]+)\}/g, (_m, name: string) => {
      const value = vars[name];
      if (value === undefined) throw new Error(`environment ${k} needs \${${name}}, which is not set`);
      return value;
    });
  }
  return out;
}
