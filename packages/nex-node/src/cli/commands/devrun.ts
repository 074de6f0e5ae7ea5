import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { auction, nodeInfo, stopWorkload } from "../../client/control-client.ts";
import { deployWorkload } from "../../client/deploy.ts";
import { loadOrCreateNexKeys, nexHome } from "../../client/keys.ts";
import { devrunKey, uploadArtifact } from "../../client/upload.ts";
import { NEXCLIFILES_MAX_BYTES } from "../../limits.ts";
import { parseEnvPairs, splitArgv } from "../args.ts";
import { cliContext, withConnection, type GlobalFlags } from "../context.ts";
import { emit } from "../output.ts";
import { addWorkloadOptions, hostServicesOverride, type WorkloadFlags } from "./deploy-common.ts";

type DevrunFlags = WorkloadFlags & { stop: boolean; bucketmaxbytes?: string };

/**
 * `nex devrun <file>` (nex/devrunner.go): auction for a node that runs the type, fetch its xkey,
 * upload the file to NEXCLIFILES (key = basename without dots), optionally stop the previous
 * workload of that name, deploy. Unlike 0.x, the hash sent is the artifact's real sha256.
 */
export function registerDevrun(program: Command, globals: () => GlobalFlags): void {
  const cmd = program
    .command("devrun")
    .alias("yeet")
    .description("run a workload file on a node that can run it (uploads it to NEXCLIFILES)")
    .argument("<file>", "the artifact: a native executable or a v8 script")
    .argument("[env...]", "KEY=VALUE environment for the workload")
    .option("--stop", "stop running workloads of the same name first", true)
    .option("--no-stop", "leave running workloads of the same name alone")
    .option(
      "--bucketmaxbytes <bytes>",
      "max bytes of the NEXCLIFILES bucket when it is created",
      String(NEXCLIFILES_MAX_BYTES),
    );
  addWorkloadOptions(cmd, "native").action(async (file: string, envPairs: string[], flags: DevrunFlags) => {
    const ctx = cliContext(globals());
    const env = parseEnvPairs(envPairs);
    const triggers = flags.trigger_subject ?? [];
    if (flags.type === "v8" && triggers.length === 0)
      throw new Error("v8 workloads need at least one --trigger_subject");
    const bytes = new Uint8Array(readFileSync(file));
    const name = devrunKey(file);
    const result = await withConnection(ctx, "nex-devrun", async (nc) => {
      const bidders = await auction(nc, { workload_types: [flags.type] }, ctx.timeoutMs);
      const node = bidders[Math.floor(Math.random() * bidders.length)];
      if (!node) throw new Error(`no Nex node answered the auction for workload type ${flags.type}`);
      const info = await nodeInfo(nc, ctx.namespace, node.node_id, ctx.timeoutMs);
      const { issuer, publisher } = loadOrCreateNexKeys(nexHome());
      const uploaded = await uploadArtifact(nc, name, bytes, { maxBytes: Number(flags.bucketmaxbytes) });
      const replaced: string[] = [];
      if (flags.stop) {
        for (const m of info.machines.filter((m) => m.workload.name === name)) {
          await stopWorkload(nc, {
            namespace: ctx.namespace,
            nodeId: node.node_id,
            workloadId: m.id,
            issuer,
            timeout: ctx.timeoutMs,
          });
          replaced.push(m.id);
        }
      }
      const run = await deployWorkload(nc, {
        namespace: ctx.namespace,
        nodeId: node.node_id,
        nodeXkey: info.public_xkey,
        issuer,
        publisher,
        name,
        type: flags.type,
        location: uploaded.location,
        hash: uploaded.hash,
        env,
        argv: splitArgv(flags.argv),
        essential: flags.essential,
        description: flags.description,
        triggerSubjects: triggers,
        hostServices: hostServicesOverride(flags),
        timeout: ctx.timeoutMs,
      });
      return { ...run, node_id: node.node_id, location: uploaded.location, hash: uploaded.hash, replaced };
    });
    emit(ctx.flags.json, result, () =>
      [
        ...result.replaced.map((id) => `Stopped previous workload ${id}`),
        `Reply from Nex node ${result.node_id}: workload ${result.name} (${result.id}) started from ${result.location}`,
        triggers.length > 0 ? `Triggered by: ${triggers.join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("\n"),
    );
  });
}
