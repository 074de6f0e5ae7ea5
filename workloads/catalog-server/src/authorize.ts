import type { Msg } from "@nats-io/nats-core";
import type { CatalogRequester } from "@natster/protocol";
import type { ShareAuthorizer } from "./authorizer.ts";
import { FORBIDDEN, outcomeOf, respondEnvelope, type RequestHandler } from "@natster/node-kit";

/** A requester the share check let through: the owner's own account, or an importer with a current out-share. */
export type AuthorizedRequester = CatalogRequester & { readonly authorized: true };

/** Handles one authorized request and returns the outcome to log (it has already replied). */
export type AuthorizedHandler = (msg: Msg, requester: AuthorizedRequester) => Promise<string>;

/**
 * The one authorize step every route goes through (upstream §5.3): the owner's own requests pass;
 * an importer passes only while the owner's share list has an out-share of this catalog to it.
 */
export const authorizeStep =
  (authorizer: ShareAuthorizer) =>
  (handler: AuthorizedHandler): RequestHandler =>
  async (msg, requester) => {
    if (requester.kind === "remote" && !(await authorizer.isAllowed(requester.account))) {
      respondEnvelope(msg, FORBIDDEN);
      return outcomeOf(FORBIDDEN);
    }
    return handler(msg, { ...requester, authorized: true });
  };
