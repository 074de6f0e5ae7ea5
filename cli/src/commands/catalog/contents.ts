import type { NatsConnection } from "@nats-io/nats-core";
import type { CatalogSummary } from "@natster/catalog";
import { requestEnvelope } from "@natster/node-kit";
import { NatsterError, Subjects } from "@natster/protocol";
import type { Command } from "commander";
import { connectAsContext } from "../../context/resolve.ts";
import { emit, table as makeTable, type GlobalOptions } from "../../output.ts";
import { humanBytes } from "../../progress.ts";
import { catalogName } from "./local.ts";

const PAGE_SIZE = 1000;

/** Every entry of a catalog, page by page (a NATS message holds at most 1 MB). */
export async function fetchCatalog(nc: NatsConnection, name: string): Promise<CatalogSummary> {
  const get = (page: number) =>
    requestEnvelope<CatalogSummary>(nc, Subjects.catalogLocal(name, "get"), { page, page_size: PAGE_SIZE }, 5000).catch((e: unknown) => {
      if (e instanceof NatsterError && e.code === "FORBIDDEN") {
        throw new NatsterError("FORBIDDEN", `catalog '${name}' is not shared with you (any more): ${e.message}`);
      }
      if (e instanceof NatsterError) throw e;
      if (/no responders|503/i.test((e as Error).message)) {
        throw new NatsterError("NOT_FOUND", `catalog '${name}' is not online: nobody serves it (is it imported, and is its server running?)`);
      }
      // nats-server 2.12 reports a stopped server through the import as "no responders" (above) at once;
      // a timeout is a server that hangs, or Debian's 2.9 fallback, which sends no "no responders" through imports.
      if (/timeout/i.test((e as Error).message) || (e as Error).name === "TimeoutError") {
        throw new NatsterError("CATALOG_OFFLINE", `catalog '${name}' is not online: its server did not answer within 5 s (is \`natster catalog serve ${name}\` running?)`);
      }
      throw new NatsterError("INTERNAL", `catalog '${name}' did not answer: ${(e as Error).message}`);
    });
  const first = await get(0);
  const entries = [...first.entries];
  for (let page = 1; page < first.pages; page++) entries.push(...(await get(page)).entries);
  return { ...first, entries, page: 0, pages: 1, page_size: entries.length };
}

export function registerContentsCommand(catalog: Command, globals: () => GlobalOptions): void {
  catalog
    .command("contents <name>")
    .description("list the files of a catalog (yours or one imported)")
    .action(async (rawName: string) => {
      const g = globals();
      const name = catalogName(rawName);
      const { nc } = await connectAsContext(g, "natster_catalogclient");
      try {
        const summary = await fetchCatalog(nc, name);
        emit(g, summary, () => {
          const table = makeTable(["Path", "Hash", "Mime Type", "Size"]);
          for (const e of summary.entries) table.push([e.path, e.hash, e.mime_type, humanBytes(e.byte_size)]);
          return `Items in Catalog ${name} (${summary.total_entries})\n${table.toString()}`;
        });
      } finally {
        await nc.close();
      }
    });
}
