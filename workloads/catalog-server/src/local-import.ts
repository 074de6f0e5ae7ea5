import type { NatsConnection } from "@nats-io/nats-core";
import { fromSeed } from "@nats-io/nkeys";
import { AuthorityClient, connectWithCreds, requestEnvelope } from "@natster/node-kit";
import { isAccountKey, isCatalogName, NatsterError, normalizeCatalogName, Subjects, type CatalogImport } from "@natster/protocol";
import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

export type ImportRequest = { catalog: string; from: string };

/** The import is done either way; `recorded` says whether the global log took the catalog_imported event. */
export type ImportOutcome = { catalogs: CatalogImport[]; recorded: true } | { catalogs: CatalogImport[]; recorded: false; record_error: string };

function parseImportRequest(data: Uint8Array): ImportRequest {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(data));
  } catch {
    throw new NatsterError("BAD_JSON", "expected {catalog, from}");
  }
  const { catalog, from } = (body ?? {}) as Partial<ImportRequest>;
  if (!isCatalogName(catalog)) throw new NatsterError("BAD_CATALOG_NAME", "catalog must be 1-64 letters and digits");
  if (!isAccountKey(from)) throw new NatsterError("BAD_ACCOUNT_KEY", "from must be an account public key");
  return { catalog: normalizeCatalogName(catalog), from };
}

/**
 * `natster.local.import` (the web app's Import button): the owner's machine signs the import with the
 * account key kept in NATSTER_HOME (it never leaves this machine), through the public account's
 * authority, records it in the context file, and tells the global service.
 */
export async function importForOwner(nc: NatsConnection, home: string, contextName: string, data: Uint8Array): Promise<ImportOutcome> {
  const wanted = parseImportRequest(data);
  if (existsSync(join(home, `${wanted.catalog}.json`))) {
    throw new NatsterError("NAME_TAKEN", `you have a local catalog named '${wanted.catalog}'; importing another would shadow it`);
  }
  const seedFile = join(home, "keys", contextName, "account.nk");
  const infoFile = join(home, "stack-client.json");
  if (!existsSync(seedFile) || !existsSync(infoFile)) {
    throw new NatsterError("NOT_FOUND", "this catalog server cannot import: the account keys or stack-client.json are not in its NATSTER_HOME; use `natster catalog import`");
  }
  const info = JSON.parse(await readFile(infoFile, "utf8")) as { nats_url: string; nats_urls?: string[]; public_creds: string };
  const account = fromSeed(new TextEncoder().encode((await readFile(seedFile, "utf8")).trim()));
  const signup = await connectWithCreds(info.nats_urls ?? info.nats_url, new TextEncoder().encode(info.public_creds), "natster_signup");
  try {
    const reply = await new AuthorityClient(signup).importCatalog(account, wanted);
    const contextFile = join(home, `${contextName}.context`);
    const context = JSON.parse(await readFile(contextFile, "utf8")) as Record<string, unknown>;
    await writeFile(`${contextFile}.tmp`, JSON.stringify({ ...context, imports: reply.catalogs }, null, 2) + "\n");
    await rename(`${contextFile}.tmp`, contextFile);
    const event = { catalog: wanted.catalog, target: wanted.from, event_type: "catalog_imported", data: null };
    return await requestEnvelope(nc, Subjects.global("events.put"), event).then(
      () => ({ catalogs: reply.catalogs, recorded: true as const }),
      (e: unknown) => ({ catalogs: reply.catalogs, recorded: false as const, record_error: e instanceof NatsterError ? `[${e.code}] ${e.message}` : String(e) }),
    );
  } finally {
    await signup.close();
  }
}
