#!/usr/bin/env node
/** The entropy service as a Nex native workload; its connection comes from the Nex workload env. */
import { connectFromWorkloadEnv } from "@natster/node-kit";
import { startEntropy } from "./service.ts";

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} entropy: ${line}\n`);

async function main(): Promise<void> {
  const nc = await connectFromWorkloadEnv(process.env, "natster-entropy");
  const svc = await startEntropy(nc);
  log(`ready as service ${svc.info().name} ${svc.info().id}`);

  const shutdown = async (signal: string) => {
    log(`${signal}: stopping`);
    await svc.stop().catch(() => undefined);
    await nc.drain().catch(() => undefined);
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((e: unknown) => {
  log(`fatal: ${(e as Error).message}`);
  process.exit(1);
});
