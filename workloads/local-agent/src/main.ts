#!/usr/bin/env node
/**
 * The local agent as a Nex native workload on the user's own node: the page's inbox and Import
 * button, whether or not a catalog is served. NATSTER_HOME holds the account key and context
 * (default ~/.natster), NATSTER_CONTEXT names the context (default "default"), NATSTER_ACCOUNT is
 * the owner's key (default: the user JWT's issuer_account). SIGINT/SIGTERM → drain, exit 0.
 */
import { connectFromWorkloadEnv, runWorkload, ownerAccountFromEnv } from "@natster/node-kit";
import { defaultNatsterHome } from "@natster/catalog";
import { startLocalAgent } from "./agent.ts";

// Bad input must never take the agent down: unhandled rejections are logged and it keeps answering.
void runWorkload({ name: "local-agent", surviveUnhandledRejections: true }, async (log) => {
  const accountKey = ownerAccountFromEnv(process.env);
  if (!accountKey) throw new Error("NATSTER_ACCOUNT is required when the workload's user JWT names no issuer account");
  const nc = await connectFromWorkloadEnv(process.env, "natster_local_agent");
  const agent = await startLocalAgent({
    nc,
    home: defaultNatsterHome(process.env),
    contextName: process.env.NATSTER_CONTEXT ?? "default",
    accountKey,
    log,
  });
  return { stop: () => agent.stop(), connections: [nc] };
});
