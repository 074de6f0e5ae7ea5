import type { CatalogImport } from "@natster/protocol";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

const isCatalogImport = (v: unknown): v is CatalogImport =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as CatalogImport).catalog === "string" &&
  typeof (v as CatalogImport).from === "string";

/** `<home>/<context>.context`, the CLI's context file: its `imports` are what the inbox reads. */
const contextFile = (home: string, contextName: string): string => join(home, `${contextName}.context`);

/** The imports recorded in a context; a missing or unreadable file means none. */
export async function readContextImports(home: string, contextName: string): Promise<CatalogImport[]> {
  try {
    const context = JSON.parse(await readFile(contextFile(home, contextName), "utf8")) as { imports?: unknown };
    return Array.isArray(context.imports) ? context.imports.filter(isCatalogImport) : [];
  } catch {
    return [];
  }
}

/** Replaces the context's imports and keeps everything else; the file is swapped in atomically. */
export async function saveContextImports(home: string, contextName: string, imports: CatalogImport[]): Promise<void> {
  const file = contextFile(home, contextName);
  const context = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  await writeFile(`${file}.tmp`, JSON.stringify({ ...context, imports }, null, 2) + "\n");
  await rename(`${file}.tmp`, file);
}
