import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import {
  CATALOG_QUEUE,
  catalogServerSubjects,
  LOCAL_SERVICES_QUEUE,
  ok,
  type CatalogShareSummary,
} from "@natster/protocol";
import { importSharedCatalog, ownerImportPorts, handleLocalService } from "@natster/sharing";
import type { SenderTransfer, TransferSource } from "@natster/transfer";
import { authorizeStep, type AuthorizedHandler } from "./authorize.ts";
import type { ShareAuthorizer } from "./authorizer.ts";
import type { CatalogState } from "./catalog-state.ts";
import { handleDownload } from "./handle-download.ts";
import { handleGet } from "./handle-get.ts";
import { requestLimits, type CatalogRequestLimits } from "./request-limits.ts";
import { outcomeOf, respondBytes, respondEnvelope, serveSubject } from "@natster/node-kit";

export type RouteDeps = {
  nc: NatsConnection;
  name: string;
  home: string;
  accountKey: string;
  contextName?: string;
  allowPlaintext?: boolean;
  state: CatalogState;
  authorizer: ShareAuthorizer;
  fetchShares: () => Promise<CatalogShareSummary[]>;
  openSource: (realPath: string) => Promise<TransferSource>;
  transfers: Set<SenderTransfer>;
  log: (line: string) => void;
  limits?: CatalogRequestLimits;
};

const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/** Subscribes every catalog endpoint; returns the subscriptions so stop() can drain them. */
export function catalogRoutes(deps: RouteDeps): Subscription[] {
  const { nc, state, authorizer, log } = deps;
  const subjects = catalogServerSubjects(deps.name);
  const authorized = authorizeStep(authorizer);
  const contextName = deps.contextName ?? "default";
  const importPorts = ownerImportPorts(nc, deps.home, contextName);

  const get: AuthorizedHandler = (msg) => {
    const { envelope, bytes } = handleGet(state.current, msg.data, nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD);
    respondBytes(msg, bytes);
    const page = envelope.data;
    return Promise.resolve(
      page
        ? `200 page ${page.page + 1}/${page.pages} (${page.entries.length} of ${page.total_entries} entries)`
        : outcomeOf(envelope),
    );
  };

  const local: AuthorizedHandler = async (msg) => {
    const envelope = await handleLocalService(
      msg.subject,
      {
        fetchShares: deps.fetchShares,
        importCatalog: async (wanted) => {
          const outcome = await importSharedCatalog(importPorts, wanted);
          if (!outcome.recorded) log(`import: done, but the global service did not record it: ${outcome.record_error}`);
          return outcome;
        },
        home: deps.home,
        contextName,
        owner: deps.accountKey,
        catalog: () => state.current,
      },
      msg.data,
    );
    respondEnvelope(msg, envelope);
    return outcomeOf(envelope);
  };

  const download: AuthorizedHandler = (msg, requester) =>
    handleDownload(msg, requester, { ...deps, allowPlaintext: deps.allowPlaintext ?? false });
  const limit = requestLimits(deps.limits);

  // Owner-only (the unprefixed subject exists only in the owner's account): `natster catalog
  // share|unshare` asks after the projections applied the change, so the next check is current.
  const sharesChanged: AuthorizedHandler = (msg) => {
    authorizer.invalidate();
    respondEnvelope(msg, ok(""));
    return Promise.resolve("200 share list reloads on the next request");
  };

  // Limits come first: a refused request counts too, so an account without a share cannot make
  // the server look its shares up without bound.
  return [
    serveSubject(nc, subjects.remoteGet, CATALOG_QUEUE, "get", limit.get(authorized(get)), log),
    serveSubject(nc, subjects.localGet, CATALOG_QUEUE, "get", authorized(get), log),
    serveSubject(nc, subjects.remoteDownload, CATALOG_QUEUE, "download", limit.download(authorized(download)), log),
    serveSubject(nc, subjects.localDownload, CATALOG_QUEUE, "download", authorized(download), log),
    serveSubject(nc, subjects.localServices, LOCAL_SERVICES_QUEUE, "local", authorized(local), log),
    serveSubject(nc, subjects.sharesChanged, undefined, "shares-changed", authorized(sharesChanged), log),
  ];
}
