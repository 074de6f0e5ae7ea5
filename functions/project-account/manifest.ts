import { Stores } from "@natster/protocol";
import { projectionManifest } from "../../nexfiles/manifest.ts";

/** PROJ_ACCOUNT (and PROJ_STATS) follow every event in log order. */
export const manifest = projectionManifest({
  projection: "account",
  description: "account and stats projections (fed by the trigger bridge)",
  durable: "PROJ_ACCOUNT",
  filterSubjects: [Stores.eventsSubjects],
});
