import type { Command } from "commander";
import { nodeInfo, pingNodes } from "../../client/control-client.ts";
import { loadNodeConfigFile, resolveNodeConfig } from "../../config.ts";
import { consoleLog } from "../../logs.ts";
import { startNexNode } from "../../node.ts";
import { cliContext, connectCli, withConnection, type GlobalFlags } from "../context.ts";
import { emit, formatTags, table } from "../output.ts";

/** `nex node ls | info | up`. */
export function registerNode(program: Command, globals: () => GlobalFlags): void {
  const node = program.command("node").description("list, inspect and run Nex nodes");

  node
    .command("ls")
    .description("ping every node")
    .action(async () => {
      const ctx = cliContext(globals());
      const nodes = await withConnection(ctx, "nex-node-ls", (nc) => pingNodes(nc, ctx.timeoutMs));
      emit(ctx.flags.json, nodes, () =>
        nodes.length === 0
          ? "No nodes answered"
          : table(
              ["NODE ID", "VERSION", "UPTIME", "WORKLOADS", "TAGS"],
              nodes.map((n) => [n.node_id, n.version, n.uptime, String(n.running_machines), formatTags(n.tags)]),
            ),
      );
    });

  node
    .command("info")
    .description("details and workloads of one node")
    .argument("<node_id>", "the node's id (N…)")
    .action(async (nodeId: string) => {
      const ctx = cliContext(globals());
      const info = await withConnection(ctx, "nex-node-info", (nc) =>
        nodeInfo(nc, ctx.namespace, nodeId, ctx.timeoutMs),
      );
      emit(ctx.flags.json, info, () =>
        [
          `Node:            ${nodeId}`,
          `Version:         ${info.version}`,
          `Uptime:          ${info.uptime}`,
          `Public xkey:     ${info.public_xkey}`,
          `Workload types:  ${(info.supported_workload_types ?? []).join(", ")}`,
          `Tags:            ${formatTags(info.tags)}`,
          "",
          info.machines.length === 0
            ? `No workloads in namespace ${ctx.namespace}`
            : table(
                ["WORKLOAD ID", "NAME", "TYPE", "UPTIME", "DESCRIPTION"],
                info.machines.map((m) => [
                  m.id,
                  m.workload.name,
                  m.workload.type,
                  m.uptime,
                  m.workload.description ?? "",
                ]),
              ),
        ].join("\n"),
      );
    });

  node
    .command("up")
    .description("run a Nex node in the foreground until SIGINT or SIGTERM")
    .option("--config <file>", "node config JSON (0.x fields); defaults: workload_types native and v8, no_sandbox")
    .action(async (flags: { config?: string }) => {
      const ctx = cliContext(globals());
      const config = flags.config ? loadNodeConfigFile(flags.config) : resolveNodeConfig({});
      const nc = await connectCli(ctx, "nex-node");
      const running = await startNexNode({ nc, creds: ctx.credsText, servers: ctx.server, config, log: consoleLog });
      emit(
        ctx.flags.json,
        { node_id: running.nodeId, public_xkey: running.xkey, workload_types: config.workloadTypes },
        () =>
          [
            `Nex node ${running.nodeId} is up`,
            `Public xkey: ${running.xkey}`,
            `Workload types: ${config.workloadTypes.join(", ")}`,
          ].join("\n"),
      );
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      consoleLog("info", `${signal}: stopping node ${running.nodeId}`);
      await running.stop();
      await nc.close();
    });
}
