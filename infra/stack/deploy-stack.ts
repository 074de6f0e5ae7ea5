import type { NatsConnection } from "@nats-io/nats-core";
import { join } from "node:path";
import { buildAllFunctions } from "../../functions/bundle.ts";
import { bundleAllWorkloads } from "../../workloads/build.ts";
import { deployNexfile, runningOnNode } from "../deploy/deploy.ts";
import { deployOrder, derivedEnvironment } from "../deploy/deploy-plan.ts";
import { loadNexfiles } from "../deploy/nexfile.ts";
import { credsText, readStackCreds } from "@natster/identity";
import { stackDeployKeys } from "./deploy-keys.ts";
import { NEX_NAMESPACE } from "./nex-component.ts";
import { repoRoot } from "@natster/node-kit";
import { StackError } from "./stack-error.ts";
import { deployWithRetry } from "./deploy-retry.ts";

/** Where the deploy goes: one of the stack's global nodes, and what it runs with. */
export type StackDeployTarget = {
  nodeId: string;
  /** 0 for the first node; only the log line uses it. */
  nodeIndex: number;
  /** The servers the workloads connect to, comma-separated (every server of a cluster). */
  servers: string;
  /** JetStream replicas of the stack (1, or 3 in a cluster), for workloads that create their own buckets. */
  replicas: number;
  /** Waits until the node can take a deploy (real Nex: every warm agent has handshaken). */
  beforeEachDeploy?: () => Promise<void>;
};

/** Bundles every function (size/shape gates) and native workload, so what is deployed is current. */
export async function buildArtifacts(): Promise<void> {
  const report = await buildAllFunctions(join(repoRoot, "functions"));
  if (report.failed.length > 0) {
    throw new StackError("START_FAILED", `function bundles failed: ${report.failed.map((f) => f.message).join("; ")}`);
  }
  await bundleAllWorkloads();
}

/**
 * Deploys every Nexfile that is not already running on this node, in deploy order: workloads
 * first, then the functions, then what takes the JetStream triggers the function Nexfiles declare.
 */
export async function deployStack(
  nc: NatsConnection,
  dir: string,
  node: StackDeployTarget,
  log: (l: string) => void,
): Promise<string[]> {
  // Every global node runs every Nexfile: function triggers are queue subscriptions, the bridges share
  // their durables (one pinned puller each) and the authorities share their nonce bucket and account locks.
  const nexfiles = loadNexfiles(join(repoRoot, "nexfiles"));
  const running = () => runningOnNode(nc, NEX_NAMESPACE, node.nodeId);
  const already = await running();
  const target = {
    nc,
    nodeId: node.nodeId,
    namespace: NEX_NAMESPACE,
    natsUrl: node.servers,
    ...stackDeployKeys(dir),
    identities: { authority: credsText(readStackCreds(dir, "authority")), hub: credsText(readStackCreds(dir, "hub")) },
    vars: { NATSTER_STACK_DIR: dir, NATSTER_JS_REPLICAS: String(node.replicas) },
  };
  const deployed: string[] = [];
  for (const nexfile of deployOrder(nexfiles)) {
    if (already.has(nexfile.name)) continue;
    const extra = derivedEnvironment(nexfile, nexfiles);
    const deploy = async () => {
      await node.beforeEachDeploy?.();
      return deployNexfile(target, nexfile, extra);
    };
    await deployWithRetry(deploy, running, nexfile.name).catch((e: unknown) => {
      // The stack's own verdicts (a real node that can deploy no more) keep their type for its supervisor.
      throw e instanceof StackError
        ? e
        : new StackError("START_FAILED", `deploying ${nexfile.name} failed: ${(e as Error).message}`);
    });
    deployed.push(nexfile.name);
    log(
      `deployed ${nexfile.name} (${nexfile.type})${node.nodeIndex > 0 ? ` on global node ${node.nodeIndex + 1}` : ""}`,
    );
  }
  return deployed;
}
