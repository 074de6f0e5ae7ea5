import { catalogFilePath } from "@natster/catalog";
import { NatsterError } from "@natster/protocol";
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { CATALOG_NAMESPACE, deployCatalogServer } from "../../../../infra/deploy/catalog-server.ts";
import { ensureLocalAgent } from "../../../../infra/deploy/local-agent.ts";
import { nexSubjects, stopWorkload } from "nex-node";
import { startCatalogServer } from "../../../../workloads/catalog-server/src/server.ts";
import { connectAsContext, contextName, home, serverUrl } from "../../context/resolve.ts";
import { userDeployKeys } from "../../node/node-paths.ts";
import { ensureUserNode } from "../../node/user-node.ts";
import type { GlobalOptions } from "../../output.ts";
import { catalogName, ensureLocalCatalog } from "./local.ts";
import { watchForOrphan, type OrphanWatch } from "./orphan-watch.ts";

const untilSignal = () =>
  new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });

type ServeOutcome = { signal: NodeJS.Signals } | { why: string } | { removed: true };

async function untilServingEnds(watch: OrphanWatch, removed?: Promise<void>): Promise<ServeOutcome> {
  const outcome = await Promise.race<ServeOutcome>([
    untilSignal().then((signal) => ({ signal })),
    watch.orphaned.then((why) => ({ why })),
    ...(removed ? [removed.then(() => ({ removed: true as const }))] : []),
  ]);
  watch.stop();
  return outcome;
}

/** `catalog rm` deletes the catalog file first, so a server that went away with its file was removed, not lost. */
const catalogRemoved = (name: string): boolean => !existsSync(catalogFilePath(home(), name));

const removedLine = (name: string) => `Stopped serving '${name}': its catalog was removed (natster catalog rm).\n`;

const orphanedError = (name: string, why: string) =>
  new NatsterError(
    "ORPHANED",
    `${why}: '${name}' is no longer served. Serve it again with \`natster catalog serve ${name}\`.`,
  );

export function registerServeCommand(catalog: Command, globals: () => GlobalOptions): void {
  catalog
    .command("serve <name>")
    .description("serve a catalog from your own Nex node (started when none runs; follows its logs; Ctrl-C stops it)")
    .option("--foreground", "run the catalog server in this process instead of on your Nex node")
    .action(async (rawName: string, o: { foreground?: boolean }) => {
      const g = globals();
      const name = catalogName(rawName);
      ensureLocalCatalog(name);
      if (o.foreground) return serveInProcess(g, name);
      return serveOnOwnNode(g, name);
    });
}

/**
 * Deploys the catalog server to the user's own Nex node, over the user's own account: the node is
 * a user of that account, so the workload runs as the owner without any creds on the wire.
 */
async function serveOnOwnNode(g: GlobalOptions, name: string): Promise<void> {
  const { nc, ctx } = await connectAsContext(g, "natster_catalog_deploy");
  try {
    const url = serverUrl(g, ctx);
    const { state: node, started } = await ensureUserNode({
      home: home(),
      context: contextName(g),
      ctx,
      natsUrl: url,
      control: nc,
    });
    const keys = userDeployKeys(home(), contextName(g));
    if (started) {
      // A node started here is the same as `natster node up`'s: with the agent behind the web app's inbox.
      await ensureLocalAgent({
        control: nc,
        nodeId: node.node_id,
        accountKey: ctx.account_public_key,
        home: home(),
        contextName: contextName(g),
        ...keys,
      });
      process.stderr.write(
        `Started your Nex node ${node.node_id} (pid ${node.pid}; log: ${node.log}) and its local agent.\n`,
      );
    }
    const {
      nodeId,
      workloadId,
      name: workload,
      replaced,
    } = await deployCatalogServer({
      control: nc,
      nodeId: node.node_id,
      natsUrl: url,
      catalog: name,
      accountKey: ctx.account_public_key,
      home: home(),
      contextName: contextName(g),
      issuer: keys.issuer,
      publisher: keys.publisher,
      artifact: "file",
    });
    if (replaced.length > 0)
      process.stderr.write(
        `Replaced the catalog server that was serving '${name}' (workload ${replaced.join(", ")}): ` +
          `a \`natster catalog serve ${name}\` still attached to it ends with ORPHANED.\n`,
      );
    process.stderr.write(
      `Serving '${name}' as Nex workload ${workload} (${workloadId}) on node ${nodeId}. Ctrl-C stops it.\n`,
    );
    const logs = nc.subscribe(nexSubjects.log(CATALOG_NAMESPACE, nodeId, workloadId), {
      callback: (_e, m) => {
        process.stdout.write(`${m.json<{ text: string }>().text}\n`);
      },
    });
    const watch = watchForOrphan({
      nc,
      serverUrl: url,
      workload: { namespace: CATALOG_NAMESPACE, nodeId, workloadId },
      nodePid: node.pid,
    });
    const outcome = await untilServingEnds(watch);
    if ("why" in outcome) {
      logs.unsubscribe();
      if (!catalogRemoved(name)) throw orphanedError(name, outcome.why);
      process.stderr.write(removedLine(name));
      return;
    }
    if ("removed" in outcome) return;
    // Stop first, so the server's own shutdown lines ("going offline") still reach the person.
    await stopWorkload(nc, { namespace: CATALOG_NAMESPACE, nodeId, workloadId, issuer: keys.issuer });
    await nc.flush();
    logs.unsubscribe();
    process.stderr.write(`${outcome.signal}: stopped the catalog server for '${name}'.\n`);
  } finally {
    await nc.close();
  }
}

async function serveInProcess(g: GlobalOptions, name: string): Promise<void> {
  const { nc, ctx } = await connectAsContext(g, "natster_catalog");
  const server = await startCatalogServer({
    nc,
    home: home(),
    catalogName: name,
    accountKey: ctx.account_public_key,
    contextName: contextName(g),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stderr.write(`Serving '${name}' in the foreground. Ctrl-C stops it.\n`);
  const outcome = await untilServingEnds(watchForOrphan({ nc, serverUrl: serverUrl(g, ctx) }), server.removed);
  await server.stop();
  if ("why" in outcome) {
    await nc.close();
    throw orphanedError(name, outcome.why);
  }
  if ("removed" in outcome) process.stderr.write(removedLine(name));
  await nc.drain();
}
