import type { NatsConnection } from "@nats-io/nats-core";
import type { KeyPair } from "@nats-io/nkeys";
import { parseCredsText, repoRoot } from "@natster/node-kit";
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { deployWorkload, uploadArtifact, workloadPing } from "nex-node";
import { expandEnvironment, type Nexfile } from "./nexfile.ts";

export type DeployTarget = {
  nc: NatsConnection;
  nodeId: string;
  namespace: string;
  issuer: KeyPair;
  publisher: KeyPair;
  natsUrl: string;
  /** Creds text per Nexfile `identity`; a workload without one runs as the node's own user. */
  identities: Partial<Record<NonNullable<Nexfile["start_request"]["identity"]>, string>>;
  /** Values for `${VAR}` in Nexfile environments. */
  vars: Record<string, string | undefined>;
};

const objectKey = (uri: string): string => {
  const match = /^nats:\/\/NEXCLIFILES\/([A-Za-z0-9_-]+)$/.exec(uri);
  if (!match?.[1]) throw new Error(`start_request.uri '${uri}' must be nats://NEXCLIFILES/<key>`);
  return match[1];
};

/** Names of the workloads already running in the namespace (so `natster up` stays idempotent). */
export async function runningWorkloads(nc: NatsConnection, namespace: string): Promise<Set<string>> {
  const pings = await workloadPing(nc, namespace, undefined, 1000);
  return new Set(pings.flatMap((p) => p.running_machines.map((m) => m.name)));
}

/** Names of the workloads running on one node of the namespace (several nodes may run the same names). */
export async function runningOnNode(nc: NatsConnection, namespace: string, nodeId: string): Promise<Set<string>> {
  const pings = await workloadPing(nc, namespace, undefined, 1000);
  return new Set(pings.filter((p) => p.node_id === nodeId).flatMap((p) => p.running_machines.map((m) => m.name)));
}

/** Uploads the Nexfile's artifact to its NEXCLIFILES key and deploys it to the node. */
export async function deployNexfile(
  target: DeployTarget,
  nexfile: Nexfile,
  extraEnv: Record<string, string> = {},
): Promise<string> {
  const sr = nexfile.start_request;
  const artifactPath = isAbsolute(sr.artifact) ? sr.artifact : join(repoRoot, sr.artifact);
  const bytes = readFileSync(artifactPath);
  const uploaded = await uploadArtifact(target.nc, objectKey(sr.uri), bytes);
  const creds = sr.identity ? target.identities[sr.identity] : undefined;
  if (sr.identity && !creds) throw new Error(`${nexfile.name}: no creds for identity '${sr.identity}'`);
  const hostServices = creds
    ? (({ jwt, seed }) => ({ nats_url: target.natsUrl, nats_user_jwt: jwt, nats_user_seed: seed }))(
        parseCredsText(creds),
      )
    : undefined;
  const reply = await deployWorkload(target.nc, {
    namespace: target.namespace,
    nodeId: target.nodeId,
    issuer: target.issuer,
    publisher: target.publisher,
    name: nexfile.name,
    description: nexfile.description,
    type: nexfile.type,
    lifecycle: nexfile.lifecycle,
    location: uploaded.location,
    hash: uploaded.hash,
    env: { ...expandEnvironment(sr.environment, target.vars), ...extraEnv },
    argv: sr.argv,
    essential: sr.essential,
    triggerSubjects: sr.trigger_subjects,
    hostServices,
  });
  return reply.id;
}
