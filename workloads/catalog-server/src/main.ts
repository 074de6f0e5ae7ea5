#!/usr/bin/env node
/**
 * The catalog server as a Nex native workload: the owner's connection comes from the Nex
 * workload env; NATSTER_CATALOG names the catalog, NATSTER_HOME holds it (default ~/.natster),
 * NATSTER_ACCOUNT is the owner's key (default: the user JWT's issuer_account), NATSTER_CONTEXT
 * names the context whose imports the inbox reads. SIGINT/SIGTERM → offline, drain, exit 0.
 */
import { connectFromWorkloadEnv } from "@natster/node-kit";
import { defaultNatsterHome } from "@natster/catalog";
import { ownerAccountFromEnv } from "./account-key.ts";
import { startCatalogServer } from "./server.ts";

const SHUTDOWN_DEADLINE_MS = 4500;

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} catalog-server: ${line}\n`);

async function main(): Promise<void> {
  const catalogName = process.env.NATSTER_CATALOG;
  if (!catalogName) throw new Error("NATSTER_CATALOG is required (the catalog to serve)");
  const accountKey = ownerAccountFromEnv(process.env);
  if (!accountKey) throw new Error("NATSTER_ACCOUNT is required when the workload's user JWT names no issuer account");
  const nc = await connectFromWorkloadEnv(process.env, "natster_catalog");
  log(`connected to ${nc.getServer()} as account ${accountKey}`);
  const server = await startCatalogServer({
    nc,
    home: defaultNatsterHome(process.env),
    catalogName,
    accountKey,
    log,
    allowPlaintext: process.env.NATSTER_ALLOW_PLAINTEXT === "1",
    ...(process.env.NATSTER_CONTEXT ? { contextName: process.env.NATSTER_CONTEXT } : {}),
  });

  const shutdown = async (signal: string) => {
    log(`${signal}: going offline`);
    setTimeout(() => {
      log("shutdown deadline passed; exiting");
      process.exit(0);
    }, SHUTDOWN_DEADLINE_MS).unref();
    await server.stop().catch((e: unknown) => log(`stop failed: ${(e as Error).message}`));
    await nc.drain().catch(() => undefined);
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

// Bad input must never take the server down: log and keep serving.
process.on("unhandledRejection", (e) => log(`unhandled rejection: ${e instanceof Error ? e.message : String(e)}`));

main().catch((e: unknown) => {
  log(`fatal: ${(e as Error).message}`);
  process.exit(1);
});
