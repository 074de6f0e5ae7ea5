/**
 * The catalog server (startCatalogServer, the same code as the workload) with a frozen catalog:
 * no startup rescan and no watcher, so a 100k-entry catalog is served as it is on disk and the
 * measurement sees only the listing. Env: the Nex workload env, NATSTER_CATALOG, NATSTER_HOME.
 */
import { connectFromWorkloadEnv, ownerAccountFromEnv } from "@natster/node-kit";
import { startCatalogServer } from "../../workloads/catalog-server/src/server.ts";

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} catalog-server: ${line}\n`);
const catalogName = process.env.NATSTER_CATALOG;
const home = process.env.NATSTER_HOME;
const accountKey = ownerAccountFromEnv(process.env);
if (!catalogName || !home || !accountKey) throw new Error("NATSTER_CATALOG, NATSTER_HOME and an account are required");
const nc = await connectFromWorkloadEnv(process.env, "natster_catalog");
const server = await startCatalogServer({
  nc,
  home,
  catalogName,
  accountKey,
  log,
  watcher: false,
  rescanOnStart: false,
});
const stop = async () => {
  await server.stop().catch(() => undefined);
  await nc.drain().catch(() => undefined);
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
