import { build } from "esbuild";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { Script, createContext, runInContext } from "node:vm";

/** Nex 0.x rejects larger V8 artifacts (`v8MaxFileSizeBytes`, nex-contract.md §1.2). */
export const MAX_BUNDLE_BYTES = 12_288;

export type BuiltFunction = { name: string; file: string; bytes: number };

export type BuildFailure = "esbuild" | "size" | "not-classic-script" | "not-a-function";

export class FunctionBuildError extends Error {
  readonly fn: string;
  readonly reason: BuildFailure;

  constructor(fn: string, reason: BuildFailure, detail: string) {
    super(`function "${fn}": ${detail}`);
    this.name = "FunctionBuildError";
    this.fn = fn;
    this.reason = reason;
  }
}

/**
 * Bundles `entry` into a classic script whose completion value is its default export:
 * an IIFE assigned to `__nex`, then the expression statement `__nex.default;`.
 */
export async function bundleSource(entry: string, name = basename(entry)): Promise<string> {
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      format: "iife",
      globalName: "__nex",
      footer: { js: "__nex.default;" },
      minify: true,
      target: "es2020",
      platform: "neutral",
      // platform=neutral sets no main fields; workspace packages resolve through `exports` to .ts.
      mainFields: ["module", "main"],
      conditions: ["import", "default"],
      charset: "ascii",
      legalComments: "none",
      write: false,
      logLevel: "silent",
    });
    return result.outputFiles[0]?.text ?? "";
  } catch (e) {
    const errors = (e as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
    const detail = errors?.map((m) => (m.location ? `${m.location.file}:${m.location.line}: ${m.text}` : m.text));
    throw new FunctionBuildError(name, "esbuild", `esbuild failed: ${detail?.join("; ") ?? String(e)}`);
  }
}

/**
 * Applies the checks Nex 0.x makes at deploy and first call: size, classic-script compile, and a
 * completion value that is a function in a fresh context with no host globals. Returns the size.
 */
export function validateBundle(source: string, name: string): number {
  const bytes = Buffer.byteLength(source, "utf8");
  if (bytes > MAX_BUNDLE_BYTES) {
    throw new FunctionBuildError(name, "size", `bundle is ${bytes} bytes, over the Nex limit of ${MAX_BUNDLE_BYTES}`);
  }
  let script: Script;
  try {
    script = new Script(source, { filename: `${name}.js` });
  } catch (e) {
    throw new FunctionBuildError(name, "not-classic-script", `not a classic script (${(e as Error).message})`);
  }
  let value: unknown;
  try {
    value = script.runInContext(createContext({}), { timeout: 5_000 });
  } catch (e) {
    throw new FunctionBuildError(name, "not-a-function", `evaluating the bundle threw (${(e as Error).message})`);
  }
  if (typeof value !== "function") {
    throw new FunctionBuildError(name, "not-a-function", `the script evaluates to ${typeof value}, not a function`);
  }
  return bytes;
}

/** Evaluates a validated bundle in a fresh context, as Nex does per call, and returns the handler. */
export function loadHandler(source: string, globals: object = {}): (subject: string, payload: Uint8Array) => unknown {
  return runInContext(source, createContext({ ...globals })) as (subject: string, payload: Uint8Array) => unknown;
}

/**
 * Builds `<dir>/src/index.ts` to `<outDir>/<name>.js`. On failure any stale output is removed,
 * so a broken function can never be deployed from an old artifact.
 */
export async function bundleFunction(dir: string, outDir = join(dir, "dist")): Promise<BuiltFunction> {
  const name = basename(dir);
  const file = join(outDir, `${name}.js`);
  try {
    const source = await bundleSource(join(dir, "src", "index.ts"), name);
    const bytes = validateBundle(source, name);
    await mkdir(outDir, { recursive: true });
    await writeFile(file, source);
    return { name, file, bytes };
  } catch (e) {
    await rm(file, { force: true });
    throw e;
  }
}

/** Function folders under `root`: directories with src/index.ts, except names starting with `_` or `.`. */
export function functionDirs(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !/^[_.]/.test(d.name) && existsSync(join(root, d.name, "src", "index.ts")))
    .map((d) => join(root, d.name))
    .sort();
}

export type BuildReport = { built: BuiltFunction[]; failed: FunctionBuildError[] };

/** Builds every function, collecting failures instead of stopping at the first one. */
export async function buildAllFunctions(root: string): Promise<BuildReport> {
  const report: BuildReport = { built: [], failed: [] };
  for (const dir of functionDirs(root)) {
    try {
      report.built.push(await bundleFunction(dir));
    } catch (e) {
      if (!(e instanceof FunctionBuildError)) throw e;
      report.failed.push(e);
    }
  }
  return report;
}
