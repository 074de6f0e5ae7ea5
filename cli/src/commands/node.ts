import type { Command } from "commander";
import { CATALOG_NAMESPACE } from "../../../infra/deploy/catalog-server.ts";
import { ensureLocalAgent } from "../../../infra/deploy/local-agent.ts";
import { nodeInfo } from "nex-node";
import { connectAsContext, contextName, home, requireContext, serverUrl } from "../context/resolve.ts";
import { userDeployKeys, userNodePaths } from "../node/node-paths.ts";
import { ensureUserNode, readNodeState, runningNode, stopUserNode } from "../node/user-node.ts";
import { emit, type GlobalOptions } from "../output.ts";

/** `natster node up | down | status`: your own Nex node, a user of your own account, on this machine. */
export function registerNodeCommands(program: Command, globals: () => GlobalOptions): void {
  const node = program
    .command("node")
    .description("your own Nex node (it runs your catalog servers, as your account, on this machine)");

  node
    .command("up")
    .description("start your Nex node in the background (catalog serve does this on demand)")
    .action(async () => {
      const g = globals();
      const { nc, ctx } = await connectAsContext(g, "natster_node");
      try {
        const { state, started } = await ensureUserNode({
          home: home(),
          context: contextName(g),
          ctx,
          natsUrl: serverUrl(g, ctx),
          control: nc,
        });
        // The web app's inbox and Import button, whether or not a catalog is served.
        const keys = userDeployKeys(home(), contextName(g));
        const agent = await ensureLocalAgent({
          control: nc,
          nodeId: state.node_id,
          accountKey: ctx.account_public_key,
          home: home(),
          contextName: contextName(g),
          ...keys,
        });
        emit(g, { ...state, already_running: !started, local_agent: agent }, () =>
          [
            started ? "Your Nex node is up." : "Your Nex node is already running.",
            `  Node:     ${state.node_id} (pid ${state.pid})`,
            `  Account:  ${state.account}`,
            `  NATS:     ${state.nats_url}`,
            `  Log:      ${state.log}`,
            `  Agent:    ${agent.name} (${agent.workloadId}): the web app's inbox and Import button`,
            "Stop it with: natster node down",
          ].join("\n"),
        );
      } finally {
        await nc.close();
      }
    });

  node
    .command("down")
    .description("stop your Nex node (by PID) and the catalog servers it runs")
    .action(async () => {
      const g = globals();
      const stopped = await stopUserNode(home(), contextName(g));
      emit(g, { stopped: stopped ? [{ name: "nex-node", pid: stopped.pid, node_id: stopped.node_id }] : [] }, () =>
        stopped
          ? `stopped your Nex node ${stopped.node_id ?? ""} (pid ${stopped.pid})`
          : "Your Nex node was not running.",
      );
    });

  node
    .command("status")
    .description("say whether your Nex node runs and what it runs")
    .action(async () => {
      const g = globals();
      const paths = userNodePaths(home(), contextName(g));
      const state = runningNode(paths);
      const workloads = state?.node_id ? await listWorkloads(g, state.node_id) : [];
      const recorded = readNodeState(paths);
      emit(g, { running: state !== undefined, ...(state ?? recorded ?? {}), workloads }, () =>
        state
          ? [
              `running  nex-node ${state.node_id ?? "(starting)"} (pid ${state.pid}) as ${state.account} on ${state.nats_url}`,
              ...workloads.map((w) => `  ${w.name} (${w.id})`),
            ].join("\n")
          : "Your Nex node is not running (catalog serve starts it; or: natster node up).",
      );
      if (!state) process.exitCode = 3;
    });
}

async function listWorkloads(g: GlobalOptions, nodeId: string): Promise<{ id: string; name: string }[]> {
  requireContext(g);
  const { nc } = await connectAsContext(g, "natster_node_status").catch(() => ({ nc: undefined }));
  if (!nc) return [];
  try {
    const info = await nodeInfo(nc, CATALOG_NAMESPACE, nodeId, 2_000);
    return info.machines.map((m) => ({ id: m.id, name: m.workload.name }));
  } catch {
    return [];
  } finally {
    await nc.close();
  }
}
