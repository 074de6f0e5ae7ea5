import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import type { CatalogRequestLimits } from "./request-limits.ts";
import { NatsterError } from "@natster/protocol";
import { fetchMyShares } from "@natster/sharing";
import { realpath } from "node:fs/promises";
import { catalogNameOf, loadCatalog, refreshCatalog, type CatalogFile } from "@natster/catalog";
import type { SenderTransfer } from "@natster/transfer";
import { fileSource } from "@natster/transfer/node";
import { createShareAuthorizer } from "./authorizer.ts";
import { CatalogState } from "./catalog-state.ts";
import { startHeartbeats, DEFAULT_HEARTBEAT_MS, type Heartbeats } from "./heartbeats.ts";
import { catalogRoutes } from "./routes.ts";
import { watchCatalog, type WatcherOptions } from "./watcher.ts";

export type CatalogServerOptions = {
  /** A connection as a user of the owner's account (it needs the global import). */
  nc: NatsConnection;
  /** NATSTER_HOME: where `<catalog>.json` and `<context>.context` live. */
  home: string;
  catalogName: string;
  /** The owner's account public key. */
  accountKey: string;
  /** One line per event; the workload sends it to stdout (Nex logs). */
  log?: (line: string) => void;
  /** Lets receivers ask for unencrypted transfers (benchmarks only). */
  allowPlaintext?: boolean;
  /** Heartbeat period, default 30 s. */
  heartbeatMs?: number;
  /** How long a share list authorizes requests, default 3 s. */
  authCacheMs?: number;
  /** The context whose `imports` the inbox reads, default "default". */
  contextName?: string;
  /** Catch up with changes made while the server was down (incremental), default true. */
  rescanOnStart?: boolean;
  /** Watcher tuning, or false to serve a frozen catalog (files are still verified before serving). */
  watcher?: WatcherOptions | false;
  /** Per-importer request limits, default CATALOG_REQUEST_LIMITS. */
  limits?: CatalogRequestLimits;
};

export type CatalogServer = {
  /** The catalog as served right now. */
  catalog(): CatalogFile;
  /** Announces offline, stops serving and watching; the caller drains its connection. Idempotent. */
  stop(): Promise<void>;
  /**
   * Resolves once the catalog file is gone from NATSTER_HOME (`natster catalog rm`) and the server
   * has gone offline on its own: nobody is served a catalog its owner removed.
   */
  removed: Promise<void>;
};

export async function startCatalogServer(opts: CatalogServerOptions): Promise<CatalogServer> {
  const log = opts.log ?? (() => undefined);
  const name = catalogNameOf(opts.catalogName);
  const loaded = await loadCatalog(opts.home, name);
  const realRoot = await realpath(loaded.root_dir).catch(() => {
    throw new NatsterError("NOT_FOUND", `catalog root ${loaded.root_dir} does not exist`);
  });
  log(`opened catalog ${name} at ${realRoot}: ${loaded.entries.length} entries, revision ${loaded.last_modified}`);

  const state = new CatalogState(opts.home, loaded, realRoot);
  const fetchShares = () => fetchMyShares(opts.nc);
  const authorizer = createShareAuthorizer({
    fetchShares,
    owner: opts.accountKey,
    catalog: name,
    ...(opts.authCacheMs === undefined ? {} : { cacheMs: opts.authCacheMs }),
  });

  const transfers = new Set<SenderTransfer>();
  const subscriptions: Subscription[] = catalogRoutes({
    ...opts,
    log,
    name,
    state,
    authorizer,
    fetchShares,
    openSource: fileSource,
    transfers,
  });
  await opts.nc.flush();
  let stopping: Promise<void> | undefined;
  /** Started once the watcher is ready, so a server removed before then never announced itself. */
  const online: { heartbeats?: Heartbeats } = {};
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await watcher?.close();
      for (const transfer of transfers) transfer.stop();
      await Promise.allSettled(subscriptions.map((s) => s.drain()));
      await online.heartbeats?.offline();
      await state.settle().catch(() => undefined);
      log(`catalog ${name} offline`);
    })());
  let settleRemoved: () => void = () => undefined;
  const removed = new Promise<void>((resolve) => (settleRemoved = resolve));
  const goOffline = () => {
    log(`the catalog file of ${name} was removed from ${opts.home}: going offline`);
    void stop().then(settleRemoved);
  };
  const server: CatalogServer = { catalog: () => state.current, stop, removed };
  const watcher = opts.watcher === false ? undefined : watchCatalog(state, log, opts.watcher, { removed: goOffline });
  await watcher?.ready;
  if (stopping) return server;
  const heartbeats = startHeartbeats(
    opts.nc,
    () => ({ catalog: name, account_key: opts.accountKey, revision: state.current.last_modified }),
    opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    log,
  );
  online.heartbeats = heartbeats;
  state.onRevision = () => heartbeats.beat();
  if (opts.rescanOnStart ?? true) rescanInBackground(state, log);
  log(`serving catalog ${name}; local services on natster.local.>`);
  return server;
}

function rescanInBackground(state: CatalogState, log: (line: string) => void): void {
  state
    .mutate(async (catalog) => {
      const summary = await refreshCatalog(catalog);
      return { change: summary.changed ? ("entries" as const) : ("index" as const), summary };
    })
    .then(({ summary: s }) =>
      log(`startup rescan: ${s.kept} kept, ${s.updated} updated, ${s.added} added, ${s.removed} removed`),
    )
    .catch((e: unknown) => log(`startup rescan failed: ${(e as Error).message}`));
}
