import type { NatsConnection } from "@nats-io/nats-core";
import type { KeyPair } from "@nats-io/nkeys";
import { existsSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { bundleWorkload, workloadArtifactPath } from "../../workloads/build.ts";
import { sha256Hex, deployWorkload, workloadPing, type DeployWorkloadOptions } from "nex-node";
import { CATALOG_NAMESPACE } from "./catalog-server.ts";

export type LocalAgentDeploy = {
  control: NatsConnection;
  /** The user's own node (a user of the owner's account: the agent runs as it, no creds on the wire). */
  nodeId: string;
  accountKey: string;
  home: string;
  contextName: string;
  issuer: KeyPair;
  publisher: KeyPair;
};

/** One local agent per account; the name says whose. */
export const localAgentWorkloadName = (accountKey: string) => `local-agent-${accountKey.slice(0, 8).toLowerCase()}`;

/** What the deploy request says: pure, so a spec can check what goes on the wire. */
export function localAgentDeployOptions(
  d: Omit<LocalAgentDeploy, "control">,
  artifact: { location: string; hash: string },
): DeployWorkloadOptions {
  return {
    namespace: CATALOG_NAMESPACE,
    nodeId: d.nodeId,
    issuer: d.issuer,
    publisher: d.publisher,
    name: localAgentWorkloadName(d.accountKey),
    description: "Natster local agent: the web app's inbox and Import button",
    type: "native",
    lifecycle: "service",
    location: artifact.location,
    hash: artifact.hash,
    env: { NATSTER_HOME: d.home, NATSTER_CONTEXT: d.contextName, NATSTER_ACCOUNT: d.accountKey },
  };
}

/** Deploys the local agent to the user's node unless it already runs there; returns its workload id. */
export async function ensureLocalAgent(
  d: LocalAgentDeploy,
): Promise<{ workloadId: string; name: string; started: boolean }> {
  const name = localAgentWorkloadName(d.accountKey);
  for (const ping of await workloadPing(d.control, CATALOG_NAMESPACE, name, 1000)) {
    const running = ping.node_id === d.nodeId ? ping.running_machines.find((m) => m.name === name) : undefined;
    if (running) return { workloadId: running.id, name, started: false };
  }
  const path = workloadArtifactPath("local-agent");
  if (!existsSync(path)) await bundleWorkload("local-agent");
  const bytes = readFileSync(path);
  const reply = await deployWorkload(
    d.control,
    localAgentDeployOptions(d, { location: pathToFileURL(path).href, hash: sha256Hex(bytes) }),
  );
  return { workloadId: reply.id, name, started: true };
}
