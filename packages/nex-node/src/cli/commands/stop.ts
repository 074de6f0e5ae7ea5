import type { Command } from "commander";
import { stopWorkload } from "../../client/control-client.ts";
import { loadOrCreateNexKeys, nexHome, readSeedFile } from "../../client/keys.ts";
import { cliContext, withConnection, type GlobalFlags } from "../context.ts";
import { emit } from "../output.ts";

/** `nex stop <NODE_ID> <WORKLOAD_ID>`: only the issuer that deployed the workload may stop it. */
export function registerStop(program: Command, globals: () => GlobalFlags): void {
  program
    .command("stop")
    .description("stop a workload (only its issuer may)")
    .argument("<node_id>", "the node running the workload")
    .argument("<workload_id>", "the workload id")
    .option("--issuer <file>", "issuer account seed file (default: $NEX_HOME/issuer.nk)")
    .action(async (nodeId: string, workloadId: string, flags: { issuer?: string }) => {
      const ctx = cliContext(globals());
      const issuer = flags.issuer ? readSeedFile(flags.issuer, "account") : loadOrCreateNexKeys(nexHome()).issuer;
      const stopped = await withConnection(ctx, "nex-stop", (nc) =>
        stopWorkload(nc, { namespace: ctx.namespace, nodeId, workloadId, issuer, timeout: ctx.timeoutMs }),
      );
      emit(ctx.flags.json, stopped, () => `Workload ${stopped.name} (${stopped.id}) stopped`);
    });
}
