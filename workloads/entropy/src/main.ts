#!/usr/bin/env node
/** The entropy service as a Nex native workload; its connection comes from the Nex workload env. */
import { connectFromWorkloadEnv, runWorkload } from "@natster/node-kit";
import { startEntropy } from "./service.ts";

void runWorkload({ name: "entropy" }, async (log) => {
  const nc = await connectFromWorkloadEnv(process.env, "natster-entropy");
  const svc = await startEntropy(nc);
  log(`ready as service ${svc.info().name} ${svc.info().id}`);
  return { stop: () => svc.stop(), connections: [nc] };
});
