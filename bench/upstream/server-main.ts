/**
 * Upstream's download server as a child process (like the v2 catalog-server workload): the owner's
 * connection from the Nex workload env, the catalog NATSTER_CATALOG from NATSTER_HOME.
 */
import { connectFromWorkloadEnv } from "@natster/node-kit";
import { loadCatalog } from "@natster/catalog";
import { serveUpstreamDownloads } from "./server.ts";

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} upstream-server: ${line}\n`);

const name = process.env.NATSTER_CATALOG;
const home = process.env.NATSTER_HOME;
if (!name || !home) throw new Error("NATSTER_CATALOG and NATSTER_HOME are required");
const nc = await connectFromWorkloadEnv(process.env, "natster_catalog_upstream");
const catalog = await loadCatalog(home, name);
const subs = serveUpstreamDownloads({ nc, catalog, log });
await nc.flush();
log(`serving catalog ${catalog.name} with upstream's protocol (${catalog.entries.length} entries)`);

const stop = async () => {
  for (const s of subs) s.unsubscribe();
  await nc.drain().catch(() => undefined);
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
