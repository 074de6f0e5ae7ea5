import { Stores, type CatalogProjection } from "@natster/protocol";
import { kvJson } from "nex-fn";
import { writeKeys } from "../../_lib/src/kv-writes.ts";
import { defineProjection } from "../../_lib/src/projection.ts";
import { planCatalogBatch } from "./core.ts";

export default defineProjection("catalog", (events) => {
  const catalogs = kvJson(Stores.catalogProjection);
  const changed = planCatalogBatch(events, (name) => catalogs.get<CatalogProjection>(name));
  writeKeys(Stores.catalogProjection, changed.map((value) => ({ key: value.catalog_name, value })));
});
