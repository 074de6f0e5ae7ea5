import type { KeyPair } from "@nats-io/nkeys";
import type { AuthorityClient } from "@natster/node-kit";
import { NatsterError, type CatalogImport } from "@natster/protocol";
import {
  importSharedCatalog,
  isSharedWith,
  ownCatalogIn,
  pendingShares,
  withAuthority,
  type ImportPorts,
} from "@natster/sharing";
import type { Command } from "commander";
import { loadOrCreateKeys, writeContext, type NatsterContext } from "../../context/context-store.ts";
import { connectAsContext, contextName, home, requireStack } from "../../context/resolve.ts";
import { GlobalClient } from "../../global-client.ts";
import { emit, type GlobalOptions } from "../../output.ts";
import { catalogName } from "./local.ts";
import { accountKey } from "./sharing.ts";

function accountKeys(g: GlobalOptions): KeyPair {
  return loadOrCreateKeys(home(), contextName(g), () => {
    throw new NatsterError("NOT_INITIALIZED", "your account keys are missing: run `natster init`");
  }).account;
}

/** Signs an import change with the account key (it never leaves this machine) through the authority. */
const changeImports = <T>(
  g: GlobalOptions,
  ctx: NatsterContext,
  change: (a: AuthorityClient, key: KeyPair) => Promise<T>,
): Promise<T> => withAuthority(g.server ?? ctx.nats_url, requireStack().public_creds, (a) => change(a, accountKeys(g)));

const saveImports = (g: GlobalOptions, ctx: NatsterContext, imports: CatalogImport[]): void =>
  writeContext(home(), contextName(g), { ...ctx, imports });

/** The CLI's side of the import use case: its context, its keys, its global client. */
const importPorts = (g: GlobalOptions, ctx: NatsterContext, global: GlobalClient): ImportPorts => ({
  ownCatalogExists: ownCatalogIn(home()),
  addImport: (wanted) => changeImports(g, ctx, (a, key) => a.importCatalog(key, wanted)),
  saveImports: (catalogs) => saveImports(g, ctx, catalogs),
  putEvent: (event) => global.putEvent(event),
});

export function registerImportCommands(catalog: Command, globals: () => GlobalOptions): void {
  catalog
    .command("import <name> <account>")
    .description("import a catalog another account shared with you")
    .action(async (rawName: string, rawAccount: string) => {
      const g = globals();
      const wanted = { catalog: catalogName(rawName), from: accountKey(rawAccount) };
      const { nc, ctx } = await connectAsContext(g, "natster_client");
      try {
        const global = new GlobalClient(nc);
        const reply = await importSharedCatalog(importPorts(g, ctx, global), wanted);
        const record = reply.recorded ? { recorded: true } : { recorded: false, record_error: reply.record_error };
        const me = ctx.account_public_key;
        const shared = wanted.from === me || isSharedWith(await global.myShares(), wanted, me);
        emit(g, { imported: wanted, imports: reply.catalogs, shared, ...record }, () =>
          [
            `✅ Catalog '${wanted.catalog}' is imported from account '${wanted.from}'. List it with: natster catalog contents ${wanted.catalog}`,
            ...(shared
              ? []
              : [
                  `⚠️  '${wanted.catalog}' is not shared with you (yet): its server refuses you until its owner runs natster catalog share ${wanted.catalog} ${me}`,
                ]),
            ...(reply.recorded
              ? []
              : [
                  `⚠️  The global service did not record the import (${reply.record_error}); the import works, but its owner's history will not show it.`,
                ]),
          ].join("\n"),
        );
      } finally {
        await nc.close();
      }
    });

  catalog
    .command("unimport <name>")
    .description("remove the imports of a catalog from your account")
    .action(async (rawName: string) => {
      const g = globals();
      const name = catalogName(rawName);
      const { nc, ctx } = await connectAsContext(g, "natster_client");
      await nc.close();
      if (!ctx.imports.some((i) => i.catalog === name))
        throw new NatsterError("NOT_FOUND", `catalog '${name}' is not imported (natster catalog ls)`);
      const reply = await changeImports(g, ctx, (a, key) => a.removeImport(key, name));
      saveImports(g, ctx, reply.catalogs);
      emit(g, { unimported: name, imports: reply.catalogs }, () => `Catalog '${name}' is no longer imported.`);
    });

  catalog
    .command("inbox")
    .description("catalogs shared with you that you have not imported yet")
    .option("--import-all", "import every pending catalog")
    .action(async (o: { importAll?: boolean }) => {
      const g = globals();
      const { nc, ctx } = await connectAsContext(g, "natster_client");
      try {
        const global = new GlobalClient(nc);
        const pending = pendingShares(await global.myShares(), ctx.imports, ctx.account_public_key);
        const imported: CatalogImport[] = [];
        const unrecorded: (CatalogImport & { record_error: string })[] = [];
        if (o.importAll) {
          const ports = importPorts(g, ctx, global);
          for (const s of pending) {
            const wanted = { catalog: s.catalog, from: s.from_account };
            const reply = await importSharedCatalog(ports, wanted);
            imported.push(wanted);
            if (!reply.recorded) unrecorded.push({ ...wanted, record_error: reply.record_error });
          }
        }
        emit(g, { pending, imported, unrecorded }, () =>
          pending.length === 0
            ? "Inbox zero! No unimported catalogs."
            : [
                o.importAll ? "Imported:" : "Shared with you, not imported yet:",
                ...pending.map((s) => `  ${s.catalog}  from ${s.from_account}${s.catalog_online ? "  (online)" : ""}`),
                ...(o.importAll
                  ? []
                  : [
                      "Import with: natster catalog import <name> <account>   (or: natster catalog inbox --import-all)",
                    ]),
                ...unrecorded.map(
                  (u) =>
                    `⚠️  '${u.catalog}' is imported, but the global service did not record it (${u.record_error}).`,
                ),
              ].join("\n"),
        );
      } finally {
        await nc.close();
      }
    });
}
