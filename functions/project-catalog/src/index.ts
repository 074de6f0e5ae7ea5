import { Stores, type CatalogProjection } from "@natster/protocol";
import { kvJson } from "nex-fn";
import { defineProjection } from "../../_lib/src/projection.ts";
import { planCatalogBatch } from "./core.ts";

export default defineProjection("catalog", (events) => {
  const catalogs = kvJson(Stores.catalogProjection);
  for (const value of planCatalogBatch(events, (name) => catalogs.get<CatalogProjection>(name))) catalogs.put(value.catalog_name, value);
});
