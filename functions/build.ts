import { fileURLToPath } from "node:url";
import { MAX_BUNDLE_BYTES, buildAllFunctions } from "./bundle.ts";

// Usage: npx tsx functions/build.ts [root]
// Bundles <root>/<name>/src/index.ts to <root>/<name>/dist/<name>.js; root defaults to this folder.

const root = process.argv[2] ?? fileURLToPath(new URL(".", import.meta.url));
const { built, failed } = await buildAllFunctions(root);

const width = Math.max(8, ...built.map((b) => b.name.length));
console.log(`${"function".padEnd(width)}  ${"bytes".padStart(6)}  (limit ${MAX_BUNDLE_BYTES})`);
for (const b of built) console.log(`${b.name.padEnd(width)}  ${String(b.bytes).padStart(6)}`);
for (const f of failed) console.error(`FAILED ${f.message}`);

if (built.length === 0 && failed.length === 0) console.log("no functions found (functions/<name>/src/index.ts)");
process.exitCode = failed.length > 0 ? 1 : 0;
