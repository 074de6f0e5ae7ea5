import { isPublicKey, NatsterError, type CatalogShareSummary } from "@natster/protocol";
import type { Command } from "commander";

import { connectAsContext } from "../../context/resolve.ts";
import { GlobalClient } from "../../global-client.ts";
import { emit, table as makeTable, type GlobalOptions } from "../../output.ts";
import { catalogName, ensureLocalCatalog } from "./local.ts";

export function accountKey(raw: string): string {
  if (!isPublicKey(raw, "account")) throw new NatsterError("BAD_ACCOUNT_KEY", `'${String(raw)}' is not an account public key (56 characters starting with A; ask your friend for \`natster whoami\`)`);
  return raw;
}

const shareTable = (shares: CatalogShareSummary[], me: string): string => {
  if (shares.length === 0) return "No catalogs found: share one with `natster catalog share`, or wait for a friend to share with you.";
  const table = makeTable(["", "Catalog", "From", "To"]);
  const who = (k: string) => (k === me ? "me" : k);
  for (const s of [...shares].sort((a, b) => a.catalog.localeCompare(b.catalog))) {
    table.push([s.catalog_online ? "🟢" : "⚪", s.catalog, who(s.from_account), who(s.to_account)]);
  }
  return `Shared Catalogs\n${table.toString()}`;
};

export function registerSharingCommands(catalog: Command, globals: () => GlobalOptions): void {
  catalog
    .command("ls")
    .alias("list")
    .description("list the catalogs you share and the ones shared with you, with their online state")
    .action(async () => {
      const g = globals();
      const { nc, ctx } = await connectAsContext(g, "natster_gsclient");
      try {
        const shares = await new GlobalClient(nc).myShares();
        emit(g, shares, () => shareTable(shares, ctx.account_public_key));
      } finally {
        await nc.close();
      }
    });

  for (const verb of ["share", "unshare"] as const) {
    catalog
      .command(`${verb} <name> <account>`)
      .description(verb === "share" ? "share a catalog with another account" : "stop sharing a catalog with an account (its next request is refused)")
      .action(async (rawName: string, rawAccount: string) => {
        const g = globals();
        const name = catalogName(rawName);
        const target = accountKey(rawAccount);
        if (verb === "share") ensureLocalCatalog(name);
        const { nc, ctx } = await connectAsContext(g, "natster_gsclient");
        try {
          if (target === ctx.account_public_key) throw new NatsterError("SELF_SHARE", "you cannot share catalogs with yourself");
          const global = new GlobalClient(nc);
          await global.putEvent({ catalog: name, target, event_type: verb === "share" ? "catalog_shared" : "catalog_unshared", data: null });
          emit(g, { catalog: name, target, [verb === "share" ? "shared" : "unshared"]: true }, () =>
            verb === "share"
              ? `Shared catalog '${name}' with ${target}. They can import it with: natster catalog import ${name} ${ctx.account_public_key}`
              : `Stopped sharing catalog '${name}' with ${target}. Their next request is refused.`,
          );
        } finally {
          await nc.close();
        }
      });
  }
}

