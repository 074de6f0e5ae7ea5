import type { NatsConnection } from "@nats-io/nats-core";
import type { KeyPair } from "@nats-io/nkeys";
import { parseCredsText } from "@natster/node-kit";
import { existsSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { bundleWorkload, workloadArtifactPath } from "../../workloads/build.ts";
import {
  sha256Hex,
  deployWorkload,
  pingNodes,
  stopWorkload,
  uploadArtifact,
  workloadPing,
  type DeployWorkloadOptions,
} from "nex-node";
import { retryNexDeploy } from "../stack/deploy-retry.ts";

export const CATALOG_NAMESPACE = "natster";

export type CatalogServerDeploy = {
  /** A connection that reaches the node's control subjects. */
  control: NatsConnection;
  /** The node to deploy to; default: the stack's local node. */
  nodeId?: string;
  natsUrl: string;
  catalog: string;
  accountKey: string;
  /**
   * The owner's creds, sealed to the node's xkey. Without them the workload runs as the node's
   * own user: a user's own node already is a user of the owner's account.
   */
  ownerCreds?: string;
  home: string;
  contextName: string;
  /** Only this key may stop the workload. */
  issuer: KeyPair;
  publisher: KeyPair;
  /** `file`: the node runs on this machine and reads the bundle from disk; default: upload to NEXCLIFILES. */
  artifact?: "file" | "object-store";
};

/** One catalog server per account and catalog; the name says which. */
export const catalogWorkloadName = (catalog: string, accountKey: string) =>
  `catalog-${catalog}-${accountKey.slice(0, 8).toLowerCase()}`;

export async function findLocalNode(control: NatsConnection): Promise<string> {
  const nodes = await pingNodes(control, 1000);
  const node = nodes.find((n) => n.tags?.["natster.stack"] === "local") ?? nodes[0];
  if (!node) throw new Error("no Nex node answers: start the stack with `natster up`");
  return node.node_id;
}

/** What the deploy request says, given where the artifact is: pure, so a spec can check what goes on the wire. */
export function catalogServerDeployOptions(
  d: Omit<CatalogServerDeploy, "control" | "nodeId" | "artifact">,
  nodeId: string,
  artifact: { location: string; hash: string },
): DeployWorkloadOptions {
  const owner = d.ownerCreds ? parseCredsText(d.ownerCreds) : undefined;
  return {
    namespace: CATALOG_NAMESPACE,
    nodeId,
    issuer: d.issuer,
    publisher: d.publisher,
    name: catalogWorkloadName(d.catalog, d.accountKey),
    description: `Natster catalog server for '${d.catalog}'`,
    type: "native",
    lifecycle: "service",
    location: artifact.location,
    hash: artifact.hash,
    env: {
      NATSTER_CATALOG: d.catalog,
      NATSTER_HOME: d.home,
      NATSTER_CONTEXT: d.contextName,
      NATSTER_ACCOUNT: d.accountKey,
    },
    hostServices: owner ? { nats_url: d.natsUrl, nats_user_jwt: owner.jwt, nats_user_seed: owner.seed } : undefined,
  };
}

/**
 * Stops every running server workload of this catalog that a node answers for (pinged for 1 s), and
 * returns their workload ids. Only their deployer's issuer may stop them.
 */
export async function stopCatalogServers(d: {
  control: NatsConnection;
  catalog: string;
  accountKey: string;
  issuer: KeyPair;
}): Promise<string[]> {
  const name = catalogWorkloadName(d.catalog, d.accountKey);
  const stopped: string[] = [];
  for (const ping of await workloadPing(d.control, CATALOG_NAMESPACE, name, 1000)) {
    for (const m of ping.running_machines.filter((r) => r.name === name)) {
      await stopWorkload(d.control, {
        namespace: CATALOG_NAMESPACE,
        nodeId: ping.node_id,
        workloadId: m.id,
        issuer: d.issuer,
      });
      stopped.push(m.id);
    }
  }
  return stopped;
}

/**
 * Deploys (or replaces) the catalog server workload and returns its node and workload ids, and the
 * workloads it replaced (a catalog has one server: another `serve` of it, or one left behind).
 */
export async function deployCatalogServer(
  d: CatalogServerDeploy,
): Promise<{ nodeId: string; workloadId: string; name: string; replaced: string[] }> {
  const nodeId = d.nodeId ?? (await findLocalNode(d.control));
  const name = catalogWorkloadName(d.catalog, d.accountKey);
  const replaced = await stopCatalogServers(d);
  const path = workloadArtifactPath("catalog-server");
  if (!existsSync(path)) await bundleWorkload("catalog-server");
  const bytes = readFileSync(path);
  const artifact =
    d.artifact === "file"
      ? { location: pathToFileURL(path).href, hash: sha256Hex(bytes) }
      : await uploadArtifact(d.control, "catalog-server", bytes);
  const running = async () => {
    const pings = await workloadPing(d.control, CATALOG_NAMESPACE, name, 1000);
    const machine = pings.flatMap((p) => p.running_machines).find((m) => m.name === name);
    return machine ? { id: machine.id } : undefined;
  };
  const reply = await retryNexDeploy(
    () => deployWorkload(d.control, catalogServerDeployOptions(d, nodeId, artifact)),
    running,
  );
  return { nodeId, workloadId: reply.id, name, replaced };
}
