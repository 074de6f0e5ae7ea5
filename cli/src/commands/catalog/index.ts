import type { Command } from "commander";
import type { GlobalOptions } from "../../output.ts";
import { registerContentsCommand } from "./contents.ts";
import { registerDownloadCommand } from "./download.ts";
import { registerImportCommands } from "./importing.ts";
import { registerLocalCatalogCommands } from "./local.ts";
import { registerServeCommand } from "./serve.ts";
import { registerSharingCommands } from "./sharing.ts";

export function registerCatalogCommands(program: Command, globals: () => GlobalOptions): void {
  const catalog = program.command("catalog").description("create, share, import, serve and download catalogs");
  registerLocalCatalogCommands(catalog, globals);
  registerSharingCommands(catalog, globals);
  registerImportCommands(catalog, globals);
  registerContentsCommand(catalog, globals);
  registerDownloadCommand(catalog, globals);
  registerServeCommand(catalog, globals);
}
