import type { KeyPair } from "@nats-io/nkeys";
import { catalogFilePath } from "@natster/catalog";
import { connectWithCreds } from "@natster/node-kit";
import { NatsterError, type CatalogImport, type CatalogShareSummary } from "@natster/protocol";
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { AuthorityClient } from "../../accounts/authority-client.ts";
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

/** Signs an import change with the account key (it never leaves this machine) and records it in the context. */
async function changeImports(g: GlobalOptions, ctx: NatsterContext, change: (a: AuthorityClient, key: KeyPair) => Promise<{ catalogs: CatalogImport[] }>) {
  const stack = requireStack();
  const signup = await connectWithCreds(g.server ?? ctx.nats_url, new TextEncoder().encode(stack.public_creds), "natster_signup");
  try {
    const reply = await change(new AuthorityClient(signup), accountKeys(g));
    writeContext(home(), contextName(g), { ...ctx, imports: reply.catalogs });
    return reply;
  } finally {
    await signup.close();
  }
}

/** Shares to me that I have not imported yet (works with or without a running catalog server). */
export const pendingShares = (shares: CatalogShareSummary[], ctx: NatsterContext): CatalogShareSummary[] =>
  shares.filter((s) => s.to_account === ctx.account_public_key && !ctx.imports.some((i) => i.catalog === s.catalog && i.from === s.from_account));

async function importCatalog(g: GlobalOptions, ctx: NatsterContext, global: GlobalClient, wanted: CatalogImport) {
  if (existsSync(catalogFilePath(home(), wanted.catalog))) {
    throw new NatsterError("NAME_TAKEN", `you have a local catalog named '${wanted.catalog}'; importing another under the same name would shadow it`);
  }
  const reply = await changeImports(g, ctx, (a, key) => a.importCatalog(key, wanted));
  // The import itself is done (account JWT and context); the log's record of it is reported apart.
  const recorded = await global.putEvent({ catalog: wanted.catalog, target: wanted.from, event_type: "catalog_imported", data: null }).then(
    () => ({ recorded: true as const }),
    (e: unknown) => ({ recorded: false as const, record_error: errorMessage(e) }),
  );
  return { ...reply, ...recorded };
}

const errorMessage = (e: unknown): string => (e instanceof NatsterError ? `[${e.code}] ${e.message}` : e instanceof Error ? e.message : String(e));

export function registerImportCommands(catalog: Command, globals: () => GlobalOptions): void {
  catalog
    .command("import <name> <account>")
    .description("import a catalog another account shared with you")
    .action(async (rawName: string, rawAccount: string) => {
      const g = globals();
      const wanted = { catalog: catalogName(rawName), from: accountKey(rawAccount) };
      const { nc, ctx } = await connectAsContext(g, "natster_client");
      try {
        const reply = await importCatalog(g, ctx, new GlobalClient(nc), wanted);
        const record = reply.recorded ? { recorded: true } : { recorded: false, record_error: reply.record_error };
        emit(g, { imported: wanted, imports: reply.catalogs, ...record }, () =>
          [
            `✅ Catalog '${wanted.catalog}' is imported from account '${wanted.from}'. List it with: natster catalog contents ${wanted.catalog}`,
            ...(reply.recorded ? [] : [`⚠️  The global service did not record the import (${reply.record_error}); the import works, but its owner's history will not show it.`]),
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
      if (!ctx.imports.some((i) => i.catalog === name)) throw new NatsterError("NOT_FOUND", `catalog '${name}' is not imported (natster catalog ls)`);
      const reply = await changeImports(g, ctx, (a, key) => a.removeImport(key, name));
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
        const pending = pendingShares(await global.myShares(), ctx);
        const imported: CatalogImport[] = [];
        const unrecorded: (CatalogImport & { record_error: string })[] = [];
        if (o.importAll) {
          for (const s of pending) {
            const wanted = { catalog: s.catalog, from: s.from_account };
            const reply = await importCatalog(g, { ...ctx, imports: [...ctx.imports, ...imported] }, global, wanted);
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
                ...(o.importAll ? [] : ["Import with: natster catalog import <name> <account>   (or: natster catalog inbox --import-all)"]),
                ...unrecorded.map((u) => `⚠️  '${u.catalog}' is imported, but the global service did not record it (${u.record_error}).`),
              ].join("\n"),
        );
      } finally {
        await nc.close();
      }
    });
}
