import { WORKLOAD_NAME_PATTERN } from "../limits.ts";
import { parseLocation, type ArtifactLocation } from "./location.ts";
import { deniedBy, isValidSubscriptionSubject } from "./subject-overlap.ts";
import type { DeployRequest, HostServicesConnection, WorkloadType } from "./types.ts";
import { verifyWorkloadJwt, type WorkloadClaims } from "./workload-jwt.ts";

/** A deploy request the node turned down; the message goes into the envelope's `error`. */
export class DeployRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeployRefusedError";
  }
}

export type DeployPolicy = {
  nodeId: string;
  workloadTypes: readonly string[];
  denyTriggerSubjects: readonly string[];
  validIssuers: readonly string[];
};

export type ValidatedDeploy = {
  id: string;
  name: string;
  type: WorkloadType;
  hash: string;
  issuer: string;
  claims: WorkloadClaims;
  location: ArtifactLocation;
  triggerSubjects: string[];
  essential: boolean;
  argv: string[];
  description?: string;
  jsDomain?: string;
  hostServices?: HostServicesConnection;
  sealedEnvironment?: string;
  senderXkey?: string;
};

const refuse = (message: string): never => {
  throw new DeployRefusedError(message);
};

/** Checks a deploy request the way the 0.x node does (controlapi.go handleDeploy, run.go Validate). */
export function validateDeployRequest(raw: unknown, policy: DeployPolicy, now = Date.now()): ValidatedDeploy {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return refuse("Unable to deserialize deploy request: not an object");
  const req = raw as DeployRequest;
  const type = req.type;
  if (typeof type !== "string" || !policy.workloadTypes.includes(type))
    return refuse(`Unsupported workload type on this node: ${String(type)}`);
  const triggers = req.trigger_subjects ?? [];
  checkTriggers(type, triggers, policy.denyTriggerSubjects);
  if (req.target_node && req.target_node !== policy.nodeId)
    return refuse(`deploy request targets node ${req.target_node}, not this node`);
  if (!req.workload_jwt) return refuse("Invalid deploy request: workload_jwt is required");
  let claims: WorkloadClaims;
  try {
    claims = verifyWorkloadJwt(req.workload_jwt, now);
  } catch (e) {
    return refuse(`Invalid deploy request: ${(e as Error).message}`);
  }
  const name = req.workload_name ?? claims.name;
  if (!WORKLOAD_NAME_PATTERN.test(name) || !WORKLOAD_NAME_PATTERN.test(claims.name))
    return refuse("Invalid deploy request: invalid workload name");
  // As real 0.x: a request hash must equal the one the JWT signs; upstream `nex devrun` sends none (its JWT signs a constant).
  if (req.hash && req.hash !== claims.hash)
    return refuse("Invalid deploy request: artifact hash claim does not match request");
  if (req.id && req.id !== claims.id)
    return refuse("Invalid deploy request: workload id does not match the workload JWT subject");
  if (!claims.id) return refuse("Invalid deploy request: the workload JWT has no subject (workload id)");
  if (policy.validIssuers.length > 0 && !policy.validIssuers.includes(claims.issuer))
    return refuse(`invalid workload issuer: ${claims.issuer}`);
  let location: ArtifactLocation;
  try {
    location = parseLocation(req.location);
  } catch (e) {
    return refuse(`Invalid deploy request: ${(e as Error).message}`);
  }
  return {
    id: claims.id,
    name,
    type,
    hash: req.hash || claims.hash,
    issuer: claims.issuer,
    claims,
    location,
    triggerSubjects: triggers,
    essential: req.essential === true,
    argv: req.argv ?? [],
    description: req.description || undefined,
    jsDomain: req.jsdomain || undefined,
    hostServices: pickHostServices(req),
    sealedEnvironment: req.environment || undefined,
    senderXkey: req.sender_public_key || undefined,
  };
}

function checkTriggers(type: string, triggers: string[], denyList: readonly string[]): void {
  const triggered = type === "v8" || type === "wasm";
  if (triggers.length > 0 && !triggered) refuse(`Unsupported workload type for trigger subject registration: ${type}`);
  if (triggered && triggers.length === 0) refuse(`${type} workloads require at least one trigger subject`);
  for (const subject of triggers) {
    if (!isValidSubscriptionSubject(subject)) refuse(`invalid trigger subject: ${JSON.stringify(subject)}`);
    const denied = deniedBy(subject, denyList);
    // Real 0.x's exact words (internal/node/controlapi.go), which do not name the denied subject.
    if (denied) refuse(`The trigger subject ${subject} overlaps with subject(s) in this node's deny list`);
  }
}

function pickHostServices(req: DeployRequest): HostServicesConnection | undefined {
  const hs = req.host_services_config ?? req.host_services;
  return hs?.nats_url ? hs : undefined;
}
