import { projectionManifest, PROJECTIONS_DURABLE } from "../../nexfiles/manifest.ts";

/**
 * PROJ_CATALOG follows shares and unshares. It shares the durable PROJECTIONS with project-account
 * (which takes every event), so the bridge picks these two out of the whole log client-side; the
 * function also ignores the rest.
 */
export const manifest = projectionManifest({
  projection: "catalog",
  description: "catalog name projection (fed by the trigger bridge)",
  durable: PROJECTIONS_DURABLE,
  filterSubjects: ["natster.events.*.*.*.catalog_shared", "natster.events.*.*.*.catalog_unshared"],
});
