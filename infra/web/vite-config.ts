import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type UserConfig } from "vite";

export const WEB_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "web");
export const WEB_DIST = join(WEB_ROOT, "dist");
/** The service worker must sit at the site root so its scope covers `/media/`. */
export const SERVICE_WORKER_FILE = "sw.js";

/** Vite config of the web app: Preact JSX through Vite's own Oxc transform, no plugins. */
export function webViteConfig(outDir: string = WEB_DIST): UserConfig {
  return {
    root: WEB_ROOT,
    logLevel: "warn",
    oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
    build: {
      outDir,
      emptyOutDir: true,
      target: "es2022",
      sourcemap: true,
      rolldownOptions: {
        input: { index: join(WEB_ROOT, "index.html"), sw: join(WEB_ROOT, "src", "sw", "service-worker.ts") },
        output: {
          entryFileNames: (chunk) => (chunk.name === "sw" ? SERVICE_WORKER_FILE : "assets/[name]-[hash].js"),
        },
      },
    },
  };
}

export default defineConfig(webViteConfig());
