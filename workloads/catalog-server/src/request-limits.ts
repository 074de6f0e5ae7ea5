import type { Msg } from "@nats-io/nats-core";
import { RateLimiter, type RateLimit, outcomeOf, respondEnvelope, type RequestHandler } from "@natster/node-kit";
import { fail } from "@natster/protocol";

/**
 * How much of its owner's CPU and bandwidth one importer may take (SECURITY.md). Keyed on the
 * account key NATS wrote in token 1, so an importer cannot pose as another to dodge it. The owner's
 * own requests (local subjects) are not limited. Refused requests count too, so an account without
 * a share cannot make the server look its shares up without bound.
 */
// Sized for honest use: listing a 1,000,000-entry catalog takes 200 pages of 5,000, and a player
// seeking around a film asks for many short ranges.
export const CATALOG_GETS_PER_REQUESTER: RateLimit = { max: 600, windowMs: 10_000 };
export const CATALOG_DOWNLOADS_PER_REQUESTER: RateLimit = { max: 120, windowMs: 10_000 };
/** Transfers one importer may have in flight at once (each holds a file open and a credit window). */
export const CATALOG_CONCURRENT_DOWNLOADS_PER_REQUESTER = 16;

export type CatalogRequestLimits = { gets: RateLimit; downloads: RateLimit; concurrentDownloads: number };

export const CATALOG_REQUEST_LIMITS: CatalogRequestLimits = {
  gets: CATALOG_GETS_PER_REQUESTER,
  downloads: CATALOG_DOWNLOADS_PER_REQUESTER,
  concurrentDownloads: CATALOG_CONCURRENT_DOWNLOADS_PER_REQUESTER,
};

const limited = (why: string) => fail(429, "CATALOG_RATE_LIMITED", why);

/** Wraps the get and download handlers with the per-requester limits. */
export function requestLimits(limits: CatalogRequestLimits = CATALOG_REQUEST_LIMITS) {
  const gets = new RateLimiter(limits.gets);
  const downloads = new RateLimiter(limits.downloads);
  const inFlight = new Map<string, number>();

  const refuse = (msg: Msg, why: string) => {
    const envelope = limited(why);
    respondEnvelope(msg, envelope);
    return Promise.resolve(outcomeOf(envelope));
  };

  return {
    get:
      (handler: RequestHandler): RequestHandler =>
      (msg, who) => {
        if (who.kind === "remote" && !gets.take(who.account)) {
          return refuse(
            msg,
            `too many catalog requests from your account; retry in ${Math.ceil(gets.retryAfterMs(who.account) / 1000)} s`,
          );
        }
        return handler(msg, who);
      },
    download:
      (handler: RequestHandler): RequestHandler =>
      (msg, who) => {
        if (who.kind === "local") return handler(msg, who);
        const account = who.account;
        const running = inFlight.get(account) ?? 0;
        if (running >= limits.concurrentDownloads) {
          return refuse(
            msg,
            `your account already has ${running} downloads in flight from this catalog; wait for one to finish`,
          );
        }
        if (!downloads.take(account)) {
          return refuse(
            msg,
            `too many download requests from your account; retry in ${Math.ceil(downloads.retryAfterMs(account) / 1000)} s`,
          );
        }
        inFlight.set(account, running + 1);
        return handler(msg, who).finally(() => {
          const left = (inFlight.get(account) ?? 1) - 1;
          if (left > 0) inFlight.set(account, left);
          else inFlight.delete(account);
        });
      },
  };
}
