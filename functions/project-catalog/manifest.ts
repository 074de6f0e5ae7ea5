import { projectionManifest } from "../../nexfiles/manifest.ts";

/**
 * PROJ_CATALOG follows shares and unshares. nats-server 2.9 takes one filter per consumer, so the
 * bridge consumes the whole log and filters these two client-side; the function also ignores the rest.
 */
export const manifest = projectionManifest({
  projection: "catalog",
  description: "catalog name projection (fed by the trigger bridge)",
  durable: "PROJ_CATALOG",
  filterSubjects: ["natster.events.*.*.*.catalog_shared", "natster.events.*.*.*.catalog_unshared"],
});
