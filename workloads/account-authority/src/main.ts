#!/usr/bin/env node
/**
 * The account authority as a Nex native workload. Its public-account connection comes from the
 * Nex workload env; the operator signing key and SYS creds stay in the stack dir on this machine.
 */
import { connectFromWorkloadEnv, connectWithCreds, runWorkload, workloadServers } from "@natster/node-kit";
import { BASE_ACCOUNTS, loadStackIdentity, loadStackKey, readStackCreds } from "@natster/identity";
import { KvAccountLocks } from "./account-locks.ts";
import { KvNonceBook, openAuthorityBucket } from "./kv-nonces.ts";
import { AUTHORITY_LIMITS } from "./limits.ts";
import { chooseReplicas, eventLogReplicas } from "./replicas.ts";
import { startAuthority } from "./service.ts";

void runWorkload({ name: "authority" }, async (log) => {
  const dir = process.env.NATSTER_STACK_DIR;
  if (!dir) throw new Error("NATSTER_STACK_DIR is required (the stack dir holding the operator signing key)");
  const identity = loadStackIdentity(dir);
  const service = await connectFromWorkloadEnv(process.env, "natster-authority");
  const servers = workloadServers(process.env);
  const sys = await connectWithCreds(servers, readStackCreds(dir, "sys"), "natster-authority-sys");
  // The nonce and lock bucket lives in NATSTER_GLOBAL beside the event log, shared by every instance; the
  // authority's own user may only answer its subjects, so the bucket is reached as the global user.
  const store = await connectWithCreds(servers, readStackCreds(dir, "global"), "natster-authority-nonces");
  const replicas = chooseReplicas(process.env, await eventLogReplicas(store));
  const bucket = await openAuthorityBucket(store, { replicas });
  const nonces = new KvNonceBook(bucket, {
    capacity: AUTHORITY_LIMITS.bookCapacity,
    perSourceCapacity: AUTHORITY_LIMITS.outstandingPerSource,
  });
  const locks = new KvAccountLocks(bucket);
  const reserved = new Set<string>([
    identity.operator.public_key,
    ...BASE_ACCOUNTS.map((a) => identity.accounts[a].public_key),
  ]);
  const svc = await startAuthority({
    service,
    sys,
    operatorSigner: loadStackKey(dir, "operator-signing"),
    context: { globalAccount: identity.accounts.NATSTER_GLOBAL.public_key, reserved },
    nonces,
    locks,
    log,
  });
  log(
    `ready on ${servers.join(",")} as service ${svc.info().name} ${svc.info().id} (nonces in ${replicas} replica(s))`,
  );
  return { stop: () => svc.stop(), connections: [service, sys, store] };
});
