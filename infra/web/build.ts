import { build } from "vite";
import { WEB_DIST, webViteConfig } from "./vite-config.ts";

/** Builds the web app (Vite, programmatically) into `outDir` (default web/dist); resolves with the output dir. */
export async function buildWeb(outDir: string = WEB_DIST): Promise<{ outDir: string }> {
  await build({ ...webViteConfig(outDir), configFile: false });
  return { outDir };
}
