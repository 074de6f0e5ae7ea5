#!/usr/bin/env node
/**
 * The account authority as a Nex native workload. Its public-account connection comes from the
 * Nex workload env; the operator signing key and SYS creds stay in the stack dir on this machine.
 */
import { connectFromWorkloadEnv, connectWithCreds, workloadServers } from "@natster/node-kit";
import { BASE_ACCOUNTS } from "../../../infra/stack/identity-model.ts";
import { loadStackIdentity, loadStackKey, readStackCreds } from "../../../infra/stack/bootstrap.ts";
import { startAuthority } from "./service.ts";

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} authority: ${line}\n`);

async function main(): Promise<void> {
  const dir = process.env.NATSTER_STACK_DIR;
  if (!dir) throw new Error("NATSTER_STACK_DIR is required (the stack dir holding the operator signing key)");
  const identity = loadStackIdentity(dir);
  const service = await connectFromWorkloadEnv(process.env, "natster-authority");
  const servers = workloadServers(process.env);
  const sys = await connectWithCreds(servers, readStackCreds(dir, "sys"), "natster-authority-sys");
  const reserved = new Set<string>([identity.operator.public_key, ...BASE_ACCOUNTS.map((a) => identity.accounts[a].public_key)]);
  const svc = await startAuthority({
    service,
    sys,
    operatorSigner: loadStackKey(dir, "operator-signing"),
    context: { globalAccount: identity.accounts.NATSTER_GLOBAL.public_key, reserved },
    log,
  });
  log(`ready on ${servers.join(",")} as service ${svc.info().name} ${svc.info().id}`);

  const shutdown = async (signal: string) => {
    log(`${signal}: stopping`);
    await svc.stop().catch(() => undefined);
    await Promise.allSettled([service.drain(), sys.drain()]);
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((e: unknown) => {
  log(`fatal: ${(e as Error).message}`);
  process.exit(1);
});
