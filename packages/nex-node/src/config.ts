import { readFileSync } from "node:fs";
import { ALWAYS_DENIED_TRIGGER_SUBJECTS, HOST_BUCKET_MAX_BYTES, MESSAGING_REQUEST_TIMEOUT_MS } from "./limits.ts";

export type HostServiceName = "kv" | "objectstore" | "messaging" | "http";
export type HostServiceToggle = { enabled?: boolean; config?: Record<string, unknown> };

/** The node config JSON fields of Nex 0.x this node understands (internal/models/config.go); others are ignored. */
export type NodeConfigInput = {
  workload_types?: string[];
  no_sandbox?: boolean;
  host_services_config?: {
    nats?: { nats_url?: string; nats_user_jwt?: string; nats_user_seed?: string };
    services?: Partial<Record<HostServiceName, HostServiceToggle>>;
  };
  tags?: Record<string, string>;
  node_limits?: { max_workloads?: number; max_total_bytes?: number; max_workload_bytes?: number };
  deny_trigger_subjects?: string[];
  valid_issuers?: string[];
  /** Worker threads that run v8 functions at most at once (a nex-lite setting; 0.x had one agent per workload). */
  machine_pool_size?: number;
};

export type HostServicesSettings = {
  enabled: Record<HostServiceName, boolean>;
  kvMaxBytes: number;
  objectMaxBytes: number;
  autoProvision: boolean;
  requestTimeoutMs: number;
};

export type NodeConfig = {
  workloadTypes: string[];
  tags: Record<string, string>;
  limits: { maxWorkloads: number; maxTotalBytes: number; maxWorkloadBytes: number };
  denyTriggerSubjects: string[];
  validIssuers: string[];
  hostServicesNats?: { url: string; jwt: string; seed: string };
  hostServices: HostServicesSettings;
  maxV8Workers: number;
};

const SUPPORTED_TYPES = new Set(["native", "v8"]);

/** Applies defaults and rejects what this node cannot honour, with a message that says what to change. */
export function resolveNodeConfig(input: NodeConfigInput = {}): NodeConfig {
  if (input.no_sandbox === false) {
    throw new Error('sandbox mode (Firecracker) is not supported by the local Nex node: set "no_sandbox": true');
  }
  const workloadTypes = input.workload_types ?? ["native", "v8"];
  const unsupported = workloadTypes.filter((t) => !SUPPORTED_TYPES.has(t));
  if (unsupported.length > 0)
    throw new Error(`unsupported workload_types ${unsupported.join(", ")}: this node runs native and v8`);
  const services = input.host_services_config?.services ?? {};
  const nats = input.host_services_config?.nats;
  const numberIn = (svc: HostServiceToggle | undefined, key: string, fallback: number) => {
    const v = svc?.config?.[key];
    return typeof v === "number" && v > 0 ? v : fallback;
  };
  const unlimited = (v: number | undefined) => (v && v > 0 ? v : Number.POSITIVE_INFINITY);
  return {
    workloadTypes,
    tags: { ...(input.tags ?? {}) },
    limits: {
      maxWorkloads: unlimited(input.node_limits?.max_workloads),
      maxTotalBytes: unlimited(input.node_limits?.max_total_bytes),
      maxWorkloadBytes: unlimited(input.node_limits?.max_workload_bytes),
    },
    denyTriggerSubjects: [...new Set([...ALWAYS_DENIED_TRIGGER_SUBJECTS, ...(input.deny_trigger_subjects ?? [])])],
    validIssuers: input.valid_issuers ?? [],
    hostServicesNats: nats?.nats_url
      ? { url: nats.nats_url, jwt: nats.nats_user_jwt ?? "", seed: nats.nats_user_seed ?? "" }
      : undefined,
    hostServices: {
      enabled: {
        kv: services.kv?.enabled ?? true,
        objectstore: services.objectstore?.enabled ?? true,
        messaging: services.messaging?.enabled ?? true,
        http: services.http?.enabled ?? true,
      },
      kvMaxBytes: numberIn(services.kv, "max_bytes", HOST_BUCKET_MAX_BYTES),
      objectMaxBytes: numberIn(services.objectstore, "max_bytes", HOST_BUCKET_MAX_BYTES),
      autoProvision:
        services.kv?.config?.auto_provision !== false && services.objectstore?.config?.auto_provision !== false,
      requestTimeoutMs: numberIn(services.messaging, "request_timeout_ms", MESSAGING_REQUEST_TIMEOUT_MS),
    },
    maxV8Workers: input.machine_pool_size && input.machine_pool_size > 0 ? input.machine_pool_size : 8,
  };
}

export function loadNodeConfigFile(path: string): NodeConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`cannot read node config ${path}: ${(e as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error(`node config ${path} is not a JSON object`);
  return resolveNodeConfig(parsed);
}
