import type { NatsConnection } from "@nats-io/nats-core";
import { createTestUser, publicAuthorityClient, runAuthority, type TestUser } from "../../../test/support/authority.ts";
import type { AuthorityLimits } from "../../account-authority/src/limits.ts";
import { startTestStack, type TestStack } from "../../../test/support/test-stack.ts";
import { createCatalog } from "@natster/catalog";
import { startCatalogServer, type CatalogServer, type CatalogServerOptions } from "../src/server.ts";
import { catalogDirs } from "./catalog-fixture.ts";
import { GlobalStandIn } from "./global-stand-in.ts";

/**
 * A stack with three real user accounts (owner, friend, stranger), the global stand-in, and
 * temp dirs. `friend` and `stranger` import the owner's catalogs; only shares decide access.
 */
export type World = {
  stack: TestStack;
  owner: TestUser;
  friend: TestUser;
  stranger: TestUser;
  ownerKey: string;
  friendKey: string;
  strangerKey: string;
  global: GlobalStandIn;
  /** Everything published on `natster.local-events.>` inside the owner's account. */
  localEvents: { subject: string; body: unknown }[];
  dirs: ReturnType<typeof catalogDirs>;
  ownerNc: NatsConnection;
  friendNc: NatsConnection;
  strangerNc: NatsConnection;
  /** Creates catalog `name` over a fresh root with `files` and serves it as the owner; stopped with the stack. */
  serve(
    name: string,
    files: Record<string, string | Uint8Array>,
    opts?: Partial<CatalogServerOptions>,
  ): Promise<ServedCatalog & { root: string }>;
  /** Serves a catalog file already in `dirs.home`. */
  serveExisting(name: string, opts?: Partial<CatalogServerOptions>): Promise<ServedCatalog>;
};

export type ServedCatalog = { server: CatalogServer; lines: string[] };

export async function startWorld(
  importedCatalogs: string[],
  opts: { authorityLimits?: AuthorityLimits } = {},
): Promise<World> {
  const stack = await startTestStack();
  const dirs = catalogDirs();
  stack.defer(() => dirs.remove());
  await runAuthority(stack, opts.authorityLimits);
  const authority = await publicAuthorityClient(stack);
  const [owner, friend, stranger] = await Promise.all(
    ["owner", "friend", "stranger"].map((n) => createTestUser(stack, authority, n)),
  );
  if (!owner || !friend || !stranger) throw new Error("users were not created");
  const ownerKey = owner.account.getPublicKey();
  for (const user of [friend, stranger]) {
    for (const catalog of importedCatalogs) await authority.importCatalog(user.account, { catalog, from: ownerKey });
  }
  const global = await new GlobalStandIn(await stack.connect("global", "global-stand-in")).start();
  const [ownerNc, friendNc, strangerNc] = await Promise.all([
    owner.connect("owner-client"),
    friend.connect(),
    stranger.connect(),
  ]);
  const localEvents: World["localEvents"] = [];
  ownerNc.subscribe("natster.local-events.>", {
    callback: (_e, m) => void localEvents.push({ subject: m.subject, body: m.json() }),
  });
  await ownerNc.flush();
  const serveExisting = async (name: string, opts: Partial<CatalogServerOptions> = {}): Promise<ServedCatalog> => {
    const lines: string[] = [];
    const server = await startCatalogServer({
      nc: await owner.connect(`catalog-server-${name}`),
      home: dirs.home,
      catalogName: name,
      accountKey: ownerKey,
      log: (line) => lines.push(line),
      authCacheMs: 500,
      watcher: { debounceMs: 100, stabilityMs: 200 },
      ...opts,
    });
    stack.defer(() => server.stop());
    return { server, lines };
  };
  return {
    stack,
    owner,
    friend,
    stranger,
    ownerKey,
    friendKey: friend.account.getPublicKey(),
    strangerKey: stranger.account.getPublicKey(),
    global,
    localEvents,
    dirs,
    ownerNc,
    friendNc,
    strangerNc,
    async serve(name, files, opts = {}) {
      const root = dirs.root(name, files);
      await createCatalog({ home: dirs.home, name, rootDir: root });
      return { ...(await serveExisting(name, opts)), root };
    },
    serveExisting,
  };
}
