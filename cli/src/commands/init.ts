import { createAccount } from "@nats-io/nkeys";
import { connectWithCreds } from "@natster/node-kit";
import { NatsterError, NONE, type CatalogImport } from "@natster/protocol";
import type { Command } from "commander";
import { AuthorityClient } from "../accounts/authority-client.ts";
import { mintUserCreds } from "../accounts/user-creds.ts";
import {
  credsPath,
  loadOrCreateKeys,
  readContext,
  writeContext,
  writeSecretFile,
  type NatsterContext,
} from "../context/context-store.ts";
import { contextName, home, requireStack } from "../context/resolve.ts";
import { stackServers } from "@natster/identity";
import { GlobalClient } from "../global-client.ts";
import { emit, type GlobalOptions } from "../output.ts";

/**
 * `natster init`: keys made here, account signed by the authority, creds minted here, context
 * written, `natster_initialized` recorded and the HUB demo catalog imported. Safe to run again.
 */
export function registerInit(program: Command, globals: () => GlobalOptions): void {
  program
    .command("init")
    .description("create your Natster account on the local stack (idempotent)")
    .option("--name <name>", "a display name for your account", process.env.USER ?? "natster-user")
    .action(async (o: { name: string }) => {
      const g = globals();
      const stack = requireStack();
      const name = contextName(g);
      const dir = home();
      const existing = readContext(dir, name);
      const keys = loadOrCreateKeys(dir, name, () => ({ account: createAccount(), signing: createAccount() }));
      const me = keys.account.getPublicKey();
      const url = g.server ?? stackServers(stack);

      const signup = await connectWithCreds(url, new TextEncoder().encode(stack.public_creds), "natster_signup");
      const authority = new AuthorityClient(signup);
      try {
        const accountName = existing?.account_name ?? o.name;
        await authority.createAccount(keys.account, { name: accountName, signing_keys: [keys.signing.getPublicKey()] });
        const { creds } = await mintUserCreds(me, keys.signing, `${accountName}-cli`);
        const credsFile = credsPath(dir, name);
        writeSecretFile(credsFile, creds);
        const hub: CatalogImport = { catalog: "hub", from: stack.accounts.hub };
        const imported = await authority.importCatalog(keys.account, hub);
        const ctx: NatsterContext = {
          account_name: accountName,
          account_public_key: me,
          signing_key: keys.signing.getPublicKey(),
          creds: credsFile,
          nats_url: url,
          ws_url: stack.ws_url,
          imports: imported.catalogs,
          created_at: existing?.created_at ?? new Date().toISOString(),
        };
        writeContext(dir, name, ctx);

        const user = await connectWithCreds(url, creds, "natster_gsclient");
        try {
          const global = new GlobalClient(user);
          const before = await global.whoami();
          if (!before) {
            await global.putEvent({
              catalog: NONE,
              target: NONE,
              event_type: "natster_initialized",
              data: { account_key: me, account_name: accountName },
            });
            await global
              .putEvent({ catalog: hub.catalog, target: hub.from, event_type: "catalog_imported", data: null })
              .catch(ignoreDuplicate);
          }
          emit(
            g,
            {
              context: name,
              account: me,
              initialized_before: before !== undefined,
              imports: ctx.imports,
              creds: credsFile,
            },
            () =>
              [
                before
                  ? `This account was already initialized on ${new Date(before.initialized * 1000).toISOString()}; everything is in place.`
                  : `Your account (${accountName}) is ready to serve and receive Natster catalogs.`,
                `  Account:     ${me}`,
                `  Context:     ${name} (${dir})`,
                `  Credentials: ${credsFile}`,
                `  Imported the '${hub.catalog}' demo catalog from the hub; try: natster catalog ls`,
              ].join("\n"),
          );
        } finally {
          await user.close();
        }
      } finally {
        await signup.close();
      }
    });
}

const ignoreDuplicate = (e: unknown) => {
  if (e instanceof NatsterError && e.code === "DUPLICATE") return;
  throw e;
};
