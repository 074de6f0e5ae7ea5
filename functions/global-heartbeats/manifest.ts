import { globalApiManifest } from "../../nexfiles/manifest.ts";

export const manifest = globalApiManifest(
  "heartbeats.*",
  "natster.global.heartbeats.put/offline: online status and fan-out",
);
