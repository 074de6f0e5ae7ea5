import type { NatsConnection } from "@nats-io/nats-core";
import {
  isPublicKey,
  NatsterError,
  requestFailureKind,
  SHARES_CHANGED,
  Subjects,
  type CatalogShareSummary,
} from "@natster/protocol";
import type { Command } from "commander";
import { setTimeout as sleep } from "node:timers/promises";

import { listLocalCatalogs } from "@natster/catalog";
import { connectAsContext, home } from "../../context/resolve.ts";
import { GlobalClient } from "../../global-client.ts";
import { emit, table as makeTable, type GlobalOptions } from "../../output.ts";
import { catalogName, ensureLocalCatalog } from "./local.ts";
import { putWithRetry } from "./share-retry.ts";
import { sharedByMe, unsharedNote } from "./unshared-note.ts";

export function accountKey(raw: string): string {
  if (!isPublicKey(raw, "account"))
    throw new NatsterError(
      "BAD_ACCOUNT_KEY",
      `'${String(raw)}' is not an account public key (56 characters starting with A; ask your friend for \`natster whoami\`)`,
    );
  return raw;
}

const shareTable = (shares: CatalogShareSummary[], me: string): string => {
  if (shares.length === 0)
    return "No catalogs found: share one with `natster catalog share`, or wait for a friend to share with you.";
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
    .description(
      "list the catalogs you share and the ones shared with you, with their online state (and yours shared with nobody yet)",
    )
    .action(async () => {
      const g = globals();
      const { nc, ctx } = await connectAsContext(g, "natster_gsclient");
      try {
        const shares = await new GlobalClient(nc).myShares();
        // Only the human form names them, and only unshared ones are read (a catalog file can be large).
        const shared = sharedByMe(shares, ctx.account_public_key);
        const local = g.json ? [] : await listLocalCatalogs(home(), (name) => !shared.has(name));
        emit(g, shares, () =>
          [shareTable(shares, ctx.account_public_key), unsharedNote(local, shares, ctx.account_public_key)]
            .filter(Boolean)
            .join("\n"),
        );
      } finally {
        await nc.close();
      }
    });

  for (const verb of ["share", "unshare"] as const) {
    catalog
      .command(`${verb} <name> <account>`)
      .description(
        verb === "share"
          ? "share a catalog with another account (listed for them and authorized by your server when this returns)"
          : "stop sharing a catalog with an account (your server refuses its next request once this returns)",
      )
      .action(async (rawName: string, rawAccount: string) => {
        const g = globals();
        const name = catalogName(rawName);
        const target = accountKey(rawAccount);
        if (verb === "share") ensureLocalCatalog(name);
        const { nc, ctx } = await connectAsContext(g, "natster_gsclient");
        try {
          if (target === ctx.account_public_key)
            throw new NatsterError("SELF_SHARE", "you cannot share catalogs with yourself");
          const change = await changeShare(nc, verb, name, target, (error, delayMs) =>
            process.stderr.write(`natster: ${error.message} [${error.code}]; asking again in ${delayMs} ms\n`),
          );
          const result = {
            catalog: name,
            target,
            [verb === "share" ? "shared" : "unshared"]: true,
            ...change,
          };
          emit(g, result, () => shareMessage(verb, name, target, ctx.account_public_key, change));
        } finally {
          await nc.close();
        }
      });
  }
}

/** How long share/unshare wait for the projections (normally milliseconds) before saying so. */
const APPLY_WAIT_MS = 5000;

/**
 * `seq` is where the log stored the event; absent when an attempt's answer was lost and asking again
 * found the change already true (`already`).
 */
export type ShareChange = { seq?: number; applied: boolean; server: ServerNotice; already?: true };

/**
 * What `catalog share|unshare` does once the arguments are checked: append the event, wait until
 * the projections have it (read-your-writes: `my.shares` of both sides and the catalog servers'
 * share checks see it), then have the owner's own catalog server drop its cached share list.
 */
export async function changeShare(
  nc: NatsConnection,
  verb: "share" | "unshare",
  catalog: string,
  target: string,
  onRetry?: (error: NatsterError, delayMs: number) => void,
): Promise<ShareChange> {
  const global = new GlobalClient(nc);
  const put = () =>
    global.putEvent({
      catalog,
      target,
      event_type: verb === "share" ? "catalog_shared" : "catalog_unshared",
      data: null,
    });
  const outcome = await putWithRetry(verb, put, (ms) => sleep(ms), onRetry);
  if (outcome.kind === "already-true")
    // The refusal was decided from the projections, so they already show it.
    return { applied: true, already: true, server: await notifyCatalogServer(nc, catalog) };
  const { seq } = outcome.reply;
  const applied = await global.waitApplied(seq, APPLY_WAIT_MS);
  return { seq, applied, server: await notifyCatalogServer(nc, catalog) };
}

export type ServerNotice = "reloaded" | "not-running" | "no-answer";

/** Tells the owner's own catalog server(s) to drop the cached share list, so the next request is checked afresh. */
async function notifyCatalogServer(nc: NatsConnection, catalog: string): Promise<ServerNotice> {
  try {
    await nc.request(Subjects.catalogLocal(catalog, SHARES_CHANGED), new Uint8Array(), { timeout: 2000 });
    return "reloaded";
  } catch (e) {
    return requestFailureKind(e) === "no-responders" ? "not-running" : "no-answer";
  }
}

/** Says exactly what is true when the command returns. */
export function shareMessage(
  verb: "share" | "unshare",
  name: string,
  target: string,
  me: string,
  { applied, server, already }: Pick<ShareChange, "applied" | "server" | "already">,
): string {
  const lines: string[] = [];
  if (already)
    lines.push(
      verb === "share"
        ? `Catalog '${name}' is shared with ${target} (an attempt whose answer was lost had recorded it, or it was shared already).`
        : `Catalog '${name}' is not shared with ${target} (an attempt whose answer was lost had recorded it, or it was not shared).`,
    );
  if (verb === "share") {
    if (!already) lines.push(`Shared catalog '${name}' with ${target}.`);
    lines.push(
      applied
        ? "It is in their `natster catalog ls` now."
        : "The share is recorded; the global service has not listed it yet (it will within seconds).",
    );
    if (server === "reloaded" && applied) lines.push("Your catalog server accepts their requests.");
    else if (server !== "not-running") lines.push("Your catalog server accepts their requests within a second.");
    lines.push(`They can import it with: natster catalog import ${name} ${me}`);
  } else {
    if (!already) lines.push(`Stopped sharing catalog '${name}' with ${target}.`);
    if (!applied)
      lines.push("The unshare is recorded; the global service has not applied it yet (it will within seconds).");
    if (server === "reloaded" && applied)
      lines.push("Your catalog server refuses their next request; a download in progress stops at its next chunk.");
    else if (server === "not-running")
      lines.push("Your catalog server is not running; when it starts it refuses them.");
    else lines.push("Your catalog server refuses them within a second.");
  }
  return lines.join("\n");
}
