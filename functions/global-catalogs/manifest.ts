import { globalApiManifest } from "../../nexfiles/manifest.ts";

export const manifest = globalApiManifest("catalogs.*", "natster.global.catalogs.validatename");
