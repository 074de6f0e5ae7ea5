import { createAccount, createCurve } from "@nats-io/nkeys";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readSeedFile } from "nex-node";
import { stackPaths } from "@natster/identity";

/**
 * The stack's deploy keys, made on first use: the issuer (the global node accepts workloads only
 * from it, and only it may stop them) and the curve key that seals deploy environments.
 */
export function stackDeployKeys(dir: string) {
  const keys = stackPaths(dir).keys;
  const issuerFile = join(keys, "nex-issuer.nk");
  const publisherFile = join(keys, "nex-publisher.xk");
  if (!existsSync(issuerFile)) writeFileSync(issuerFile, createAccount().getSeed(), { mode: 0o600 });
  if (!existsSync(publisherFile)) writeFileSync(publisherFile, createCurve().getSeed(), { mode: 0o600 });
  return { issuer: readSeedFile(issuerFile, "account"), publisher: readSeedFile(publisherFile, "curve") };
}
