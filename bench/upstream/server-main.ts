/**
 * Upstream's download server as a child process (like the v2 catalog-server workload): the owner's
 * connection from the Nex workload env, the catalog NATSTER_CATALOG from NATSTER_HOME.
 */
import { connectFromWorkloadEnv, runWorkload } from "@natster/node-kit";
import { loadCatalog } from "@natster/catalog";
import { serveUpstreamDownloads } from "./server.ts";

void runWorkload({ name: "upstream-server" }, async (log) => {
  const name = process.env.NATSTER_CATALOG;
  const home = process.env.NATSTER_HOME;
  if (!name || !home) throw new Error("NATSTER_CATALOG and NATSTER_HOME are required");
  const nc = await connectFromWorkloadEnv(process.env, "natster_catalog_upstream");
  const catalog = await loadCatalog(home, name);
  const subs = serveUpstreamDownloads({ nc, catalog, log });
  await nc.flush();
  log(`serving catalog ${catalog.name} with upstream's protocol (${catalog.entries.length} entries)`);
  return { stop: () => subs.forEach((s) => s.unsubscribe()), connections: [nc] };
});
