import { globalApiManifest } from "../../nexfiles/manifest.ts";

export const manifest = globalApiManifest("context.*", "natster.global.context.get");
