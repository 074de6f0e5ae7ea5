import { NatsterError } from "@natster/protocol";
import { stopCatalogServers } from "../../../../infra/deploy/catalog-server.ts";
import { connectAsContext, contextName, home } from "../../context/resolve.ts";
import { userDeployKeys } from "../../node/node-paths.ts";
import type { GlobalOptions } from "../../output.ts";
import type { StoppedServers } from "./stopped-servers-note.ts";

/**
 * Stops the catalog server workloads still serving a catalog (deployed by `natster catalog serve`,
 * so stopped with the same issuer key). `unreachable` when the stack could not be asked.
 */
export async function stopServersOf(g: GlobalOptions, catalog: string): Promise<StoppedServers> {
  let connected;
  try {
    connected = await connectAsContext(g, "natster_catalog_rm");
  } catch (error) {
    // Without an account here nothing was ever served from this home.
    if (error instanceof NatsterError && error.code === "NOT_INITIALIZED") return { stopped: [] };
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
