/** The bare nats.js publisher as a child process of the owner's account (like the catalog-server workload). */
import { connectFromWorkloadEnv, runWorkload } from "@natster/node-kit";
import { serveRaw } from "./publisher.ts";

void runWorkload({ name: "raw-publisher" }, async (log) => {
  const catalog = process.env.NATSTER_CATALOG;
  const file = process.env.RAW_FILE;
  if (!catalog || !file) throw new Error("NATSTER_CATALOG and RAW_FILE are required");
  const nc = await connectFromWorkloadEnv(process.env, "natster_raw_publisher");
  const sub = serveRaw(nc, catalog, file);
  await nc.flush();
  log(`raw publisher serving catalog ${catalog}`);
  return { stop: () => sub.unsubscribe(), connections: [nc] };
});
