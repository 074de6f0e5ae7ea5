import type { NatsConnection } from "@nats-io/nats-core";
import type { KeyPair } from "@nats-io/nkeys";
import { parseCredsText } from "@natster/node-kit";
import { existsSync, readFileSync } from "node:fs";
import { bundleWorkload, workloadArtifactPath } from "../../workloads/build.ts";
import { deployWorkload, pingNodes, stopWorkload, uploadArtifact, workloadPing } from "../nex/index.ts";
import { retryNexDeploy } from "../stack/deploy-retry.ts";

export const CATALOG_NAMESPACE = "natster";

export type CatalogServerDeploy = {
  /** A connection that reaches the node's control subjects. */
  control: NatsConnection;
  natsUrl: string;
  catalog: string;
  accountKey: string;
  /** The owner's creds: the workload connects as the owner's account. */
  ownerCreds: string;
  home: string;
  contextName: string;
  /** Only this key may stop the workload. */
  issuer: KeyPair;
  publisher: KeyPair;
};

/** One catalog server per account and catalog; the name says which. */
export const catalogWorkloadName = (catalog: string, accountKey: string) => `catalog-${catalog}-${accountKey.slice(0, 8).toLowerCase()}`;

export async function findLocalNode(control: NatsConnection): Promise<string> {
  const nodes = await pingNodes(control, 1000);
  const node = nodes.find((n) => n.tags?.["natster.stack"] === "local") ?? nodes[0];
  if (!node) throw new Error("no Nex node answers: start the stack with `natster up`");
  return node.node_id;
}

/** Deploys (or replaces) the catalog server workload and returns its node and workload ids. */
export async function deployCatalogServer(d: CatalogServerDeploy): Promise<{ nodeId: string; workloadId: string; name: string }> {
  const nodeId = await findLocalNode(d.control);
  const name = catalogWorkloadName(d.catalog, d.accountKey);
  for (const ping of await workloadPing(d.control, CATALOG_NAMESPACE, name, 1000)) {
    for (const m of ping.running_machines.filter((r) => r.name === name)) {
      await stopWorkload(d.control, { namespace: CATALOG_NAMESPACE, nodeId: ping.node_id, workloadId: m.id, issuer: d.issuer });
    }
  }
  const artifact = workloadArtifactPath("catalog-server");
  if (!existsSync(artifact)) await bundleWorkload("catalog-server");
  const uploaded = await uploadArtifact(d.control, "catalog-server", readFileSync(artifact));
  const { jwt, seed } = parseCredsText(d.ownerCreds);
  const deploy = () => deployWorkload(d.control, {
    namespace: CATALOG_NAMESPACE,
    nodeId,
    issuer: d.issuer,
    publisher: d.publisher,
    name,
    description: `Natster catalog server for '${d.catalog}'`,
    type: "native",
    lifecycle: "service",
    location: uploaded.location,
    hash: uploaded.hash,
    env: { NATSTER_CATALOG: d.catalog, NATSTER_HOME: d.home, NATSTER_CONTEXT: d.contextName, NATSTER_ACCOUNT: d.accountKey },
    hostServices: { nats_url: d.natsUrl, nats_user_jwt: jwt, nats_user_seed: seed },
  });
  const running = async () => {
    const pings = await workloadPing(d.control, CATALOG_NAMESPACE, name, 1000);
    const machine = pings.flatMap((p) => p.running_machines).find((m) => m.name === name);
    return machine ? { id: machine.id } : undefined;
  };
  const reply = await retryNexDeploy(deploy, running);
  return { nodeId, workloadId: reply.id, name };
}
