import { globalApiManifest } from "../../nexfiles/manifest.ts";

export const manifest = globalApiManifest(
  "events.*",
  "natster.global.events.put: validates, rate-limits and appends to the event log",
);
