import type { NatsConnection } from "@nats-io/nats-core";
import { fromSeed } from "@nats-io/nkeys";
import { catalogFilePath } from "@natster/catalog";
import { clientInfoPath, readClientInfo, stackNatsUrls } from "@natster/identity";
import { requestEnvelope } from "@natster/node-kit";
import { NatsterError, Subjects } from "@natster/protocol";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { withAuthority } from "./authority-session.ts";
import { saveContextImports } from "./context-imports.ts";
import type { ImportPorts } from "./import-catalog.ts";

/** Whether `<home>/<name>.json`, an own catalog, exists. */
export const ownCatalogIn =
  (home: string) =>
  (name: string): boolean =>
    existsSync(catalogFilePath(home, name));

/**
 * Importing on the owner's machine from a catalog server or the local agent (`natster.local.import`,
 * the web app's Import button): the account key and the stack's client info are read from
 * NATSTER_HOME, where `natster init` left them; the imports go to the context file.
 */
export function ownerImportPorts(nc: NatsConnection, home: string, contextName: string): ImportPorts {
  return {
    ownCatalogExists: ownCatalogIn(home),
    addImport: async (wanted) => {
      const seedFile = join(home, "keys", contextName, "account.nk");
      const info = readClientInfo(clientInfoPath({ NATSTER_HOME: home }));
      if (!existsSync(seedFile) || !info) {
        throw new NatsterError(
          "NOT_FOUND",
          "this catalog server cannot import: the account keys or stack-client.json are not in its NATSTER_HOME; use `natster catalog import`",
        );
      }
      const account = fromSeed(new TextEncoder().encode(readFileSync(seedFile, "utf8").trim()));
      return await withAuthority(stackNatsUrls(info), info.public_creds, (authority) =>
        authority.importCatalog(account, wanted),
      );
    },
    saveImports: (catalogs) => saveContextImports(home, contextName, catalogs),
    putEvent: (event) => requestEnvelope(nc, Subjects.global("events.put"), event),
  };
}
