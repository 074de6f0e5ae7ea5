/**
 * Bundles every native workload (`workloads/<name>/src/main.ts`) into one self-contained
 * `workloads/<name>/dist/<name>.mjs` with an absolute-interpreter shebang: Nex native workloads
 * get no PATH, and the artifact travels alone through the NEXCLIFILES object store.
 */
import { build } from "esbuild";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NATIVE_AEAD_BINARY } from "../packages/transfer/native/build.ts";

const root = dirname(fileURLToPath(import.meta.url));

export type WorkloadArtifact = { name: string; file: string; bytes: number };

export const workloadNames = (): string[] =>
  readdirSync(root).filter((d) => !d.startsWith("_") && existsSync(join(root, d, "src", "main.ts")));

export const workloadArtifactPath = (name: string): string => join(root, name, "dist", `${name}.mjs`);

/** The native AES-256-GCM addon, when setup built it, travels inside the artifact (packages/transfer/src/node/native-aead.ts). */
function embeddedNativeAead(): Record<string, string> {
  if (!existsSync(NATIVE_AEAD_BINARY)) return {};
  return { __NATSTER_NATIVE_AEAD__: JSON.stringify(readFileSync(NATIVE_AEAD_BINARY).toString("base64")) };
}

export async function bundleWorkload(name: string): Promise<WorkloadArtifact> {
  const file = workloadArtifactPath(name);
  const result = await build({
    entryPoints: [join(root, name, "src", "main.ts")],
    write: false,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: false,
    sourcemap: false,
    define: embeddedNativeAead(),
    logLevel: "error",
  });
  const code = (result.outputFiles[0]?.text ?? "").replace(/^(#![^\n]*\n)+/, "");
  const text = [
    `#!${process.execPath}`,
    `import { createRequire as __natsterRequire } from "node:module";`,
    `const require = __natsterRequire(import.meta.url);`,
    code,
  ].join("\n");
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text, { mode: 0o755 });
  chmodSync(file, 0o755);
  return { name, file, bytes: Buffer.byteLength(text) };
}

export async function bundleAllWorkloads(): Promise<WorkloadArtifact[]> {
  return Promise.all(workloadNames().map(bundleWorkload));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const a of await bundleAllWorkloads())
    process.stdout.write(`${a.name.padEnd(20)} ${a.bytes} bytes  ${a.file}\n`);
}
