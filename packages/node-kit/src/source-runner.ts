import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is packages/node-kit/src/), wherever the process runs from. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** `node --import tsx <entry>`: how the stack runs its TypeScript workloads from source. */
export function tsxCommand(entry: string): { command: string; args: string[] } {
  const loader = `file://${join(repoRoot, "node_modules/tsx/dist/loader.mjs")}`;
  return { command: process.execPath, args: ["--import", loader, join(repoRoot, entry)] };
}
