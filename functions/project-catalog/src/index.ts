import { Stores, type CatalogProjection } from "@natster/protocol";
import { kvJson } from "nex-fn";
import { defineProjection } from "../../_lib/src/projection.ts";
import { concernsCatalogs, planCatalogWrite } from "./core.ts";

export default defineProjection((event) => {
  if (!concernsCatalogs(event)) return;
  const catalogs = kvJson(Stores.catalogProjection);
  const next = planCatalogWrite(event, catalogs.get<CatalogProjection>(event.catalog));
  if (next) catalogs.put(event.catalog, next);
});
