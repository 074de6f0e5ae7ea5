#!/usr/bin/env node
/**
 * The catalog server as a Nex native workload: the owner's connection comes from the Nex
 * workload env; NATSTER_CATALOG names the catalog, NATSTER_HOME holds it (default ~/.natster),
 * NATSTER_ACCOUNT is the owner's key (default: the user JWT's issuer_account), NATSTER_CONTEXT
 * names the context whose imports the inbox reads. SIGINT/SIGTERM → offline, drain, exit 0.
 */
import { connectFromWorkloadEnv, runWorkload, ownerAccountFromEnv } from "@natster/node-kit";
import { defaultNatsterHome } from "@natster/catalog";
import { chunkCipherEngine } from "@natster/transfer/node";
import { startCatalogServer } from "./server.ts";

// Bad input must never take the server down: unhandled rejections are logged and it keeps serving.
void runWorkload(
  { name: "catalog-server", stoppingLine: "going offline", shutdownDeadlineMs: 4500, surviveUnhandledRejections: true },
  async (log) => {
    const catalogName = process.env.NATSTER_CATALOG;
    if (!catalogName) throw new Error("NATSTER_CATALOG is required (the catalog to serve)");
    const accountKey = ownerAccountFromEnv(process.env);
    if (!accountKey)
      throw new Error("NATSTER_ACCOUNT is required when the workload's user JWT names no issuer account");
    const nc = await connectFromWorkloadEnv(process.env, "natster_catalog");
    log(`connected to ${nc.getServer()} as account ${accountKey}`);
    log(`chunks are sealed by ${chunkCipherEngine()}`);
    const server = await startCatalogServer({
      nc,
      home: defaultNatsterHome(process.env),
      catalogName,
      accountKey,
      log,
      allowPlaintext: process.env.NATSTER_ALLOW_PLAINTEXT === "1",
      ...(process.env.NATSTER_CONTEXT ? { contextName: process.env.NATSTER_CONTEXT } : {}),
    });
    return { stop: () => server.stop(), connections: [nc] };
  },
);
