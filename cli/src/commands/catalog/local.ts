import { createCatalog, catalogFilePath, describeEntry, editCatalog, rescanCatalog } from "@natster/catalog";
import { CATALOG_NAME, NatsterError, normalizeCatalogName, type CatalogEntry } from "@natster/protocol";
import type { Command } from "commander";
import { existsSync, rmSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { connectAsContext, home } from "../../context/resolve.ts";
import { GlobalClient } from "../../global-client.ts";
import { emit, type GlobalOptions } from "../../output.ts";
import { count } from "../../plural.ts";
import { humanBytes, progressBar } from "../../progress.ts";
import { chooseEntry, fileRef } from "./file-ref.ts";
import { stopServersOf } from "./stop-servers.ts";
import { stoppedServersNote } from "./stopped-servers-note.ts";

export function catalogName(raw: string): string {
  if (!CATALOG_NAME.test(raw))
    throw new NatsterError("BAD_CATALOG_NAME", `'${raw}' is not a catalog name: use 1-64 letters and digits`);
  return normalizeCatalogName(raw);
}

export function registerLocalCatalogCommands(catalog: Command, globals: () => GlobalOptions): void {
  catalog
    .command("new <name> <description> <path>")
    .description("create a catalog of every file under <path> (hashes them with SHA-256)")
    .option("--force", "replace an existing catalog of that name")
    .action(async (rawName: string, description: string, path: string, o: { force?: boolean }) => {
      const g = globals();
      const name = catalogName(rawName);
      const root = resolve(path);
      if (!existsSync(root) || !statSync(root).isDirectory())
        throw new NatsterError("NOT_FOUND", `${root} is not a directory`);
      const { nc } = await connectAsContext(g, "natster_gsclient");
      try {
        const check = await new GlobalClient(nc).validateName(name);
        if (!check.valid)
          throw new NatsterError(
            "NAME_TAKEN",
            `catalog '${name}' cannot be shared: ${check.message}; pick another name`,
          );
      } finally {
        await nc.close();
      }
      const bar = progressBar(`Hashing ${name}`, !g.json);
      const created = await createCatalog({
        home: home(),
        name,
        rootDir: root,
        description,
        overwrite: o.force === true,
        onProgress: (p) => bar.update(p.bytes_done, p.bytes_total),
      }).finally(() => bar.stop());
      const bytes = created.entries.reduce((n, e) => n + e.byte_size, 0);
      emit(
        g,
        { name, root_dir: created.root_dir, files: created.entries.length, bytes, file: catalogFilePath(home(), name) },
        () =>
          `New catalog created: ${name} (${count(created.entries.length, "file")}, ${humanBytes(bytes)}). Serve it with: natster catalog serve ${name}`,
      );
    });

  catalog
    .command("describe <name> <file> <description>")
    .description(
      "set the description of a file: its SHA-256 (every path holding those bytes) or its path in the catalog",
    )
    .action(async (rawName: string, rawFile: string, description: string) => {
      const name = catalogName(rawName);
      const ref = fileRef(rawFile, name);
      const { result: described } = await editCatalog(home(), name, (c) =>
        "hash" in ref
          ? describeEntry(c, ref.hash, description)
          : describeAt(chooseEntry(c.entries, ref, name), description),
      );
      const what = "hash" in ref ? `file ${ref.hash}` : `${described.path}`;
      emit(
        globals(),
        { name, hash: described.hash, ...("path" in ref ? { path: described.path } : {}), description },
        () => `New description set for ${what} in catalog ${name}`,
      );
    });

  catalog
    .command("rescan <name>")
    .description("bring a catalog up to date with its folder (new, changed and removed files)")
    .action(async (rawName: string) => {
      const g = globals();
      const name = catalogName(rawName);
      const { catalog: after, summary } = await rescanCatalog(home(), name);
      emit(
        g,
        { name, files: after.entries.length, ...summary },
        () =>
          `Rescanned ${name}: ${count(after.entries.length, "file")} (${summary.added} added, ${summary.updated} re-hashed, ${summary.removed} removed, ${summary.kept} unchanged)`,
      );
    });

  catalog
    .command("rm <name>")
    .description("delete a local catalog and stop its catalog server (your files stay where they are)")
    .action(async (rawName: string) => {
      const g = globals();
      const name = catalogName(rawName);
      const file = catalogFilePath(home(), name);
      if (!existsSync(file))
        throw new NatsterError("NOT_FOUND", `there is no local catalog '${name}' (natster catalog ls)`);
      rmSync(file);
      const servers = await stopServersOf(g, name);
      emit(g, { name, removed: file, ...servers }, () =>
        [
          `Removed catalog ${name}. Its files are untouched.`,
          stoppedServersNote(name, servers),
          `Its shares, if any, stay recorded until you run: natster catalog unshare ${name} <account>`,
        ]
          .filter(Boolean)
          .join(" "),
      );
    });
}

const describeAt = (entry: CatalogEntry, description: string): CatalogEntry => {
  entry.description = description;
  return entry;
};

export const ensureLocalCatalog = (name: string): void => {
  if (!existsSync(catalogFilePath(home(), name))) {
    throw new NatsterError("NOT_FOUND", `there is no local catalog '${name}': create it with natster catalog new`);
  }
};
