/** The bare nats.js publisher as a child process of the owner's account (like the catalog-server workload). */
import { connectFromWorkloadEnv } from "@natster/node-kit";
import { serveRaw } from "./publisher.ts";

const catalog = process.env.NATSTER_CATALOG;
const file = process.env.RAW_FILE;
if (!catalog || !file) throw new Error("NATSTER_CATALOG and RAW_FILE are required");
const nc = await connectFromWorkloadEnv(process.env, "natster_raw_publisher");
const sub = serveRaw(nc, catalog, file);
await nc.flush();
process.stdout.write(`raw publisher serving catalog ${catalog}\n`);
const stop = async () => {
  sub.unsubscribe();
  await nc.drain().catch(() => undefined);
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
