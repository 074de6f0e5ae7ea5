import { Stores, type CatalogProjection } from "@natster/protocol";
import { readKeys } from "../../_lib/src/batch-reads.ts";
import { writeKeys } from "../../_lib/src/kv-writes.ts";
import { defineProjection } from "../../_lib/src/projection.ts";
import { concernsCatalogs, planCatalogBatch } from "./core.ts";

export default defineProjection("catalog", (events, reads) => {
  const names = events.filter(concernsCatalogs).map((e) => e.catalog);
  const catalogs = readKeys<CatalogProjection>(Stores.catalogProjection, names, reads);
  const changed = planCatalogBatch(events, (name) => catalogs.get(name));
  writeKeys(
    Stores.catalogProjection,
    changed.map((value) => ({ key: value.catalog_name, value })),
    catalogs.lastSeq,
  );
});
