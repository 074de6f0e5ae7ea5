import type { NatsConnection } from "@nats-io/nats-core";
import { join } from "node:path";
import { buildAllFunctions } from "../../functions/bundle.ts";
import { bundleAllWorkloads } from "../../workloads/build.ts";
import { bridgeSpecs, deployNexfile, runningWorkloads } from "../deploy/deploy.ts";
import { loadNexfiles } from "../deploy/nexfile.ts";
import { credsText, readStackCreds } from "./bootstrap.ts";
import { stackDeployKeys } from "./deploy-keys.ts";
import { NEX_NAMESPACE } from "./nex-component.ts";
import { repoRoot } from "./runtime.ts";
import { StackError } from "./stack-error.ts";
import { deployWithRetry } from "./deploy-retry.ts";

/** Bundles every function (size/shape gates) and native workload, so what is deployed is current. */
export async function buildArtifacts(): Promise<void> {
  const report = await buildAllFunctions(join(repoRoot, "functions"));
  if (report.failed.length > 0) {
    throw new StackError("START_FAILED", `function bundles failed: ${report.failed.map((f) => f.message).join("; ")}`);
  }
  await bundleAllWorkloads();
}

/**
 * Deploys every Nexfile that is not already running on the node: workloads first, then the
 * functions, then the trigger bridge with the JetStream triggers the function Nexfiles declare.
 */
export async function deployStack(
  nc: NatsConnection,
  dir: string,
  nodeId: string,
  natsUrl: string,
  log: (l: string) => void,
  beforeEachDeploy: () => Promise<void> = async () => {},
): Promise<string[]> {
  const nexfiles = loadNexfiles(join(repoRoot, "nexfiles"));
  const running = await runningWorkloads(nc, NEX_NAMESPACE);
  const target = {
    nc,
    nodeId,
    namespace: NEX_NAMESPACE,
    natsUrl,
    ...stackDeployKeys(dir),
    identities: { authority: credsText(readStackCreds(dir, "authority")), hub: credsText(readStackCreds(dir, "hub")) },
    vars: { NATSTER_STACK_DIR: dir },
  };
  const order = (n: { name: string; type: string }) => (n.name === "trigger-bridge" ? 2 : n.type === "native" ? 0 : 1);
  const deployed: string[] = [];
  for (const nexfile of [...nexfiles].sort((a, b) => order(a) - order(b))) {
    if (running.has(nexfile.name)) continue;
    const extra: Record<string, string> = nexfile.name === "trigger-bridge" ? { NATSTER_BRIDGE_CONFIG: JSON.stringify(bridgeSpecs(nexfiles)) } : {};
    const deploy = async () => {
      await beforeEachDeploy();
      return deployNexfile(target, nexfile, extra);
    };
    await deployWithRetry(deploy, () => runningWorkloads(nc, NEX_NAMESPACE), nexfile.name).catch((e: unknown) => {
      throw new StackError("START_FAILED", `deploying ${nexfile.name} failed: ${(e as Error).message}`);
    });
    deployed.push(nexfile.name);
    log(`deployed ${nexfile.name} (${nexfile.type})`);
  }
  return deployed;
}

