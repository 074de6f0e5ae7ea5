import type { NatsConnection } from "@nats-io/nats-core";
import { Objm } from "@nats-io/obj";
import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { normalizeHash, sha256Hex } from "../../artifacts/hash.ts";
import { deployWorkload } from "../../client/deploy.ts";
import { loadOrCreateNexKeys, nexHome, readSeedFile } from "../../client/keys.ts";
import { parseLocation } from "../../control/location.ts";
import { parseEnvPairs, splitArgv } from "../args.ts";
import { cliContext, withConnection, type GlobalFlags } from "../context.ts";
import { emit } from "../output.ts";
import { addWorkloadOptions, hostServicesOverride, type WorkloadFlags } from "./deploy-common.ts";

type RunFlags = WorkloadFlags & { name: string; xkey?: string; issuer?: string };

/** `nex run nats://BUCKET/key <NODE_ID>` (nex/runner.go): deploy an artifact already in an object store. */
export function registerRun(program: Command, globals: () => GlobalFlags): void {
  const cmd = program
    .command("run")
    .description("run an artifact from an object store (nats://BUCKET/key) on a given node")
    .argument("<url>", "artifact location: nats://BUCKET/key (or file:///abs/path for a local node)")
    .argument("<node_id>", "the target node's id (N…)")
    .argument("[env...]", "KEY=VALUE environment for the workload")
    .requiredOption("--name <name>", "workload name (letters, digits, _ and -)")
    .option("--xkey <file>", "publisher curve seed file (default: $NEX_HOME/publisher.xk)")
    .option("--issuer <file>", "issuer account seed file (default: $NEX_HOME/issuer.nk)");
  addWorkloadOptions(cmd, "native").action(async (url: string, nodeId: string, envPairs: string[], flags: RunFlags) => {
    const ctx = cliContext(globals());
    const keys = loadOrCreateNexKeys(nexHome());
    const issuer = flags.issuer ? readSeedFile(flags.issuer, "account") : keys.issuer;
    const publisher = flags.xkey ? readSeedFile(flags.xkey, "curve") : keys.publisher;
    const run = await withConnection(ctx, "nex-run", async (nc) =>
      deployWorkload(nc, {
        namespace: ctx.namespace,
        nodeId,
        issuer,
        publisher,
        name: flags.name,
        type: flags.type,
        location: url,
        hash: await artifactHash(nc, url),
        env: parseEnvPairs(envPairs),
        argv: splitArgv(flags.argv),
        essential: flags.essential,
        description: flags.description,
        triggerSubjects: flags.trigger_subject ?? [],
        hostServices: hostServicesOverride(flags),
        timeout: ctx.timeoutMs,
      }),
    );
    emit(
      ctx.flags.json,
      { ...run, node_id: nodeId },
      () => `Reply from Nex node ${nodeId}: workload ${run.name} (${run.id}) started`,
    );
  });
}

/** The object's digest as hex, as `nex run` sends it (`SanitizeNATSDigest`), or a local file's sha256. */
async function artifactHash(nc: NatsConnection, url: string): Promise<string> {
  const location = parseLocation(url);
  if (location.kind === "file") return sha256Hex(new Uint8Array(readFileSync(location.path)));
  const info = await (await new Objm(nc).open(location.bucket)).info(location.key);
  if (!info?.digest) throw new Error(`no object ${location.key} in bucket ${location.bucket}`);
  return normalizeHash(info.digest);
}
