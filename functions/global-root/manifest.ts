import { globalApiManifest } from "../../nexfiles/manifest.ts";

export const manifest = globalApiManifest("*", "natster.global.stats and natster.global.whoami");
