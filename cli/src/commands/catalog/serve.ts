import { connectWithCreds } from "@natster/node-kit";
import { NatsterError } from "@natster/protocol";
import type { Command } from "commander";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CATALOG_NAMESPACE, deployCatalogServer } from "../../../../infra/deploy/catalog-server.ts";
import { loadOrCreateNexKeys, nexSubjects, stopWorkload } from "../../../../infra/nex/index.ts";
import { stackCredsPath } from "../../../../infra/stack/bootstrap.ts";
import { stackDir } from "../../../../infra/stack/paths.ts";
import { startCatalogServer } from "../../../../workloads/catalog-server/src/server.ts";
import { connectAsContext, contextName, home, serverUrl } from "../../context/resolve.ts";
import type { GlobalOptions } from "../../output.ts";
import { catalogName, ensureLocalCatalog } from "./local.ts";

const untilSignal = () =>
  new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });

/** Your own deploy keys (issuer and env-sealing xkey), so only you can stop your catalog server. */
const deployKeys = (g: GlobalOptions) => loadOrCreateNexKeys(join(home(), "keys", contextName(g), "nex"));

export function registerServeCommand(catalog: Command, globals: () => GlobalOptions): void {
  catalog
    .command("serve <name>")
    .description("serve a catalog through the local Nex node (follows its logs; Ctrl-C stops it)")
    .option("--foreground", "run the catalog server in this process instead of on the Nex node")
    .action(async (rawName: string, o: { foreground?: boolean }) => {
      const g = globals();
      const name = catalogName(rawName);
      ensureLocalCatalog(name);
      if (o.foreground) return serveInProcess(g, name);
      const { nc: user, ctx } = await connectAsContext(g, "natster_catalog_deploy");
      await user.close();
      const controlCreds = stackCredsPath(stackDir(process.env), "global");
      if (!existsSync(controlCreds)) {
        throw new NatsterError("NOT_FOUND", "no local Nex node on this machine (start it with `natster up`), or serve with --foreground");
      }
      const url = serverUrl(g, ctx);
      const control = await connectWithCreds(url, readFileSync(controlCreds), "natster_catalog_deploy");
      try {
        const keys = deployKeys(g);
        const { nodeId, workloadId, name: workload } = await deployCatalogServer({
          control,
          natsUrl: url,
          catalog: name,
          accountKey: ctx.account_public_key,
          ownerCreds: readFileSync(ctx.creds, "utf8"),
          home: home(),
          contextName: contextName(g),
          issuer: keys.issuer,
          publisher: keys.publisher,
        });
        process.stderr.write(`Serving '${name}' as Nex workload ${workload} (${workloadId}) on node ${nodeId}. Ctrl-C stops it.\n`);
        const logs = control.subscribe(nexSubjects.log(CATALOG_NAMESPACE, nodeId, workloadId), {
          callback: (_e, m) => {
            process.stdout.write(`${m.json<{ text: string }>().text}\n`);
          },
        });
        const signal = await untilSignal();
        // Stop first, so the server's own shutdown lines ("going offline") still reach the person.
        await stopWorkload(control, { namespace: CATALOG_NAMESPACE, nodeId, workloadId, issuer: keys.issuer });
        await control.flush();
        logs.unsubscribe();
        process.stderr.write(`${signal}: stopped the catalog server for '${name}'.\n`);
      } finally {
        await control.close();
      }
    });
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
  await untilSignal();
  await server.stop();
  await nc.drain();
}
