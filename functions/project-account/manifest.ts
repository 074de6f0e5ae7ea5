import { Stores } from "@natster/protocol";
import { projectionManifest, PROJECTIONS_DURABLE } from "../../nexfiles/manifest.ts";

/**
 * PROJ_ACCOUNT (and PROJ_STATS) follow every event in log order. Both projections share the
 * durable PROJECTIONS: the bridge fetches and decodes each event once and calls both with it.
 */
export const manifest = projectionManifest({
  projection: "account",
  description: "account and stats projections (fed by the trigger bridge)",
  durable: PROJECTIONS_DURABLE,
  filterSubjects: [Stores.eventsSubjects],
});
