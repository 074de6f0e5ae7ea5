import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import { ok, type CatalogShareSummary } from "@natster/protocol";
import type { SenderTransfer, TransferSource } from "@natster/transfer";
import type { ShareAuthorizer } from "./authorizer.ts";
import type { CatalogState } from "./catalog-state.ts";
import { handleDownload } from "./handle-download.ts";
import { handleGet } from "./handle-get.ts";
import { importForOwner } from "./local-import.ts";
import { handleLocalService } from "./local-services.ts";
import { requestLimits, type CatalogRequestLimits } from "./request-limits.ts";
import { FORBIDDEN, outcomeOf, respondBytes, respondEnvelope } from "./respond.ts";
import { serveSubject } from "./serve-subject.ts";
import { CATALOG_QUEUE, catalogServerSubjects, LOCAL_SERVICES_QUEUE, requesterOf } from "./subjects.ts";

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

/** Same-account requests pass; an importer passes only with a current out-share (upstream §5.3). */
export async function isAuthorized(msg: Msg, authorizer: ShareAuthorizer): Promise<boolean> {
  const requester = requesterOf(msg.subject);
  return requester.kind === "local" || (await authorizer.isAllowed(requester.account));
}

/** Subscribes every catalog endpoint; returns the subscriptions so stop() can drain them. */
export function catalogRoutes(deps: RouteDeps): Subscription[] {
  const { nc, state, authorizer, log } = deps;
  const subjects = catalogServerSubjects(deps.name);

  const get = async (msg: Msg): Promise<string> => {
    if (!(await isAuthorized(msg, authorizer))) {
      respondEnvelope(msg, FORBIDDEN);
      return outcomeOf(FORBIDDEN);
    }
    const { envelope, bytes } = handleGet(state.current, msg.data, nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD);
    respondBytes(msg, bytes);
    const page = envelope.data;
    return page ? `200 page ${page.page + 1}/${page.pages} (${page.entries.length} of ${page.total_entries} entries)` : outcomeOf(envelope);
  };

  const local = async (msg: Msg): Promise<string> => {
    const contextName = deps.contextName ?? "default";
    const envelope = await handleLocalService(
      msg.subject,
      {
        fetchShares: deps.fetchShares,
        importCatalog: async (data) => {
          const outcome = await importForOwner(nc, deps.home, contextName, data);
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

  const download = (msg: Msg) => handleDownload(msg, { ...deps, allowPlaintext: deps.allowPlaintext ?? false });
  const limit = requestLimits(deps.limits);

  // Owner-only (the unprefixed subject exists only in the owner's account): `natster catalog
  // share|unshare` asks after the projections applied the change, so the next check is current.
  const sharesChanged = (msg: Msg): Promise<string> => {
    authorizer.invalidate();
    respondEnvelope(msg, ok(""));
    return Promise.resolve("200 share list reloads on the next request");
  };

  return [
    serveSubject(nc, subjects.remoteGet, CATALOG_QUEUE, "get", limit.get(get), log),
    serveSubject(nc, subjects.localGet, CATALOG_QUEUE, "get", get, log),
    serveSubject(nc, subjects.remoteDownload, CATALOG_QUEUE, "download", limit.download(download), log),
    serveSubject(nc, subjects.localDownload, CATALOG_QUEUE, "download", download, log),
    serveSubject(nc, subjects.localServices, LOCAL_SERVICES_QUEUE, "local", local, log),
    serveSubject(nc, subjects.sharesChanged, undefined, "shares-changed", sharesChanged, log),
  ];
}
