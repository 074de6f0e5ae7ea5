import { stopCatalogServers } from "../../../../infra/deploy/catalog-server.ts";
import { connectAsContext, contextName, home } from "../../context/resolve.ts";
import { userDeployKeys, userNodePaths } from "../../node/node-paths.ts";
import { runningNode } from "../../node/user-node.ts";
import type { GlobalOptions } from "../../output.ts";
import type { StoppedServers } from "./stopped-servers-note.ts";

/**
 * Stops the catalog server workloads still serving a catalog. `catalog serve` deploys them to this
 * home's own Nex node with its issuer key, so without that node running there is nothing to stop
 * (and nothing to ask the stack). `unreachable` when the stack could not be asked.
 */
export async function stopServersOf(g: GlobalOptions, catalog: string): Promise<StoppedServers> {
  if (!runningNode(userNodePaths(home(), contextName(g)))) return { stopped: [] };
  let connected;
  try {
    connected = await connectAsContext(g, "natster_catalog_rm");
  } catch (error) {
    return { unreachable: error instanceof Error ? error.message : String(error) };
  }
  const { nc, ctx } = connected;
  try {
    const { issuer } = userDeployKeys(home(), contextName(g));
    return { stopped: await stopCatalogServers({ control: nc, catalog, accountKey: ctx.account_public_key, issuer }) };
  } finally {
    await nc.close();
  }
}
