import { buildSync } from "esbuild";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/**
 * The worker's code as one CommonJS script for `new Worker(code, { eval: true })`. Bundling the
 * TypeScript source here means the worker needs no TS loader, whether the node runs under
 * vitest, `node --import tsx` or anything else.
 */
export function v8WorkerSource(): string {
  cached ??= buildSync({
    entryPoints: [fileURLToPath(new URL("./worker.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    write: false,
    logLevel: "silent",
  }).outputFiles[0]?.text;
  if (!cached) throw new Error("could not bundle the v8 worker");
  return cached;
}
