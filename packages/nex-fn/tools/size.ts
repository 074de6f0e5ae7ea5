import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const entryUrl = new URL("../src/index.ts", import.meta.url);

/**
 * The shim's whole public API, minified as a function bundle would carry it. Every runtime
 * export is kept alive through one global array, so the figure excludes esbuild's module
 * namespace helpers, which a function bundle pays once whatever it imports.
 */
export async function shimBundle(): Promise<string> {
  const names = Object.keys((await import(entryUrl.href)) as object);
  const result = await build({
    stdin: {
      contents: `import { ${names.join(", ")} } from ${JSON.stringify(fileURLToPath(entryUrl))};\nglobalThis.nexFnApi = [${names.join(", ")}];`,
      resolveDir: fileURLToPath(new URL(".", entryUrl)),
      loader: "ts",
    },
    bundle: true,
    format: "iife",
    minify: true,
    target: "es2020",
    platform: "neutral",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}

export async function shimBundleSize(): Promise<number> {
  return Buffer.byteLength(await shimBundle(), "utf8");
}
