import type { NatsConnection } from "@nats-io/nats-core";
import {
  loadCatalogPages,
  NatsterError,
  notSharedError,
  requestEnvelope,
  Subjects,
  type CatalogSummary,
  type PageRequest,
} from "@natster/protocol";
import type { Command } from "commander";
import { connectAsContext } from "../../context/resolve.ts";
import { emit, table as makeTable, type GlobalOptions } from "../../output.ts";
import { humanBytes } from "../../progress.ts";
import { catalogName } from "./local.ts";

/** Every entry of a catalog, through the one catalog pager; the reply reads as a single page holding them all. */
export async function fetchCatalog(nc: NatsConnection, name: string): Promise<CatalogSummary> {
  const subject = Subjects.catalogLocal(name, "get");
  const request = (page: PageRequest) =>
    requestEnvelope<CatalogSummary>(nc, subject, page).catch((e: unknown) => {
      if (e instanceof NatsterError && e.code === "FORBIDDEN") {
        throw notSharedError(name, e.message);
      }
      throw e;
    });
  const { name: catalog, description, image, entries, total } = await loadCatalogPages({ request });
  return {
    name: catalog,
    description,
    ...(image === undefined ? {} : { image }),
    entries,
    page: 0,
    page_size: entries.length,
    total_entries: total,
    pages: 1,
  };
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
