import type { KeyPair } from "@nats-io/nkeys";
import { randomUUID } from "node:crypto";
import { sealEnvironment } from "../control/env-seal.ts";
import { sealedHostServicesEnv } from "../control/host-services-env.ts";
import { goUrl, parseLocation } from "../control/location.ts";
import type { DeployRequest, HostServicesConnection, WorkloadType } from "../control/types.ts";
import { createWorkloadJwt } from "../control/workload-jwt.ts";

export type DeployOptions = {
  nodeId: string;
  /** The target node's public xkey (`$NEX.INFO` `public_xkey`). */
  nodeXkey: string;
  /** Account key that signs the workload JWT; only it may stop the workload. */
  issuer: KeyPair;
  /** Curve key that seals the environment to the node. */
  publisher: KeyPair;
  name: string;
  type: WorkloadType;
  /** `nats://BUCKET/key` (sent in Go's url.URL struct form, as real clients do) or `file:///abs/path`. */
  location: string;
  /** sha256 hex of the artifact, or its object-store digest `SHA-256=…`. */
  hash: string;
  env?: Record<string, string>;
  argv?: string[];
  essential?: boolean;
  /** A v1 Nexfile lifecycle: `service` means essential (restart when it exits). */
  lifecycle?: "service" | "job" | "function";
  description?: string;
  triggerSubjects?: string[];
  /**
   * Who the workload connects as. It travels only inside the environment sealed to the node's
   * xkey (NEX_HOSTSERVICES_NATS_*), never as the clear `host_services_config`: anyone who can
   * read `$NEX.>` would read the seed there.
   */
  hostServices?: HostServicesConnection;
  jsDomain?: string;
  id?: string;
};

/** The 0.x DeployRequest JSON (control-api/run.go NewDeployRequest), ready for `$NEX.DEPLOY.<ns>.<node>`. */
export async function buildDeployRequest(o: DeployOptions): Promise<DeployRequest> {
  const id = o.id ?? randomUUID();
  const env = { ...(o.env ?? {}), ...(o.hostServices ? sealedHostServicesEnv(o.hostServices) : {}) };
  const parsed = parseLocation(o.location);
  const request: DeployRequest = {
    argv: o.argv && o.argv.length > 0 ? o.argv : undefined,
    description: o.description ?? "",
    hash: o.hash,
    location: parsed.kind === "object" ? goUrl(parsed.bucket, parsed.key) : o.location,
    essential: o.essential === true || o.lifecycle === "service",
    environment: sealEnvironment(o.publisher, o.nodeXkey, env),
    id,
    sender_public_key: o.publisher.getPublicKey(),
    target_node: o.nodeId,
    trigger_subjects: o.triggerSubjects && o.triggerSubjects.length > 0 ? o.triggerSubjects : undefined,
    workload_name: o.name,
    workload_jwt: await createWorkloadJwt(o.issuer, id, o.name, o.hash),
    type: o.type,
  };
  if (o.jsDomain) request.jsdomain = o.jsDomain;
  return request;
}
