import { globalApiManifest } from "../../nexfiles/manifest.ts";

export const manifest = globalApiManifest("otc.*", "natster.global.otc.generate/claim: single-use login codes");
