import { globalApiManifest } from "../../nexfiles/manifest.ts";

export const manifest = globalApiManifest("my.*", "natster.global.my.shares and my.applied (read-your-writes)");
