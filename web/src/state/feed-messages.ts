import type { LibraryAction } from "./library.ts";

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isRevision = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/**
 * Turns a message of the live feeds into a library action, or undefined for anything malformed
 * or unknown. Global feed: `natster.global-events.<type>`; local feed: `natster.local-events.<type>`.
 */
export function feedAction(subject: string, body: unknown, now: number): LibraryAction | undefined {
  const [, feed, type] = subject.split(".");
  if (!isObject(body)) return undefined;
  const source = feed === "local-events" ? "local" : feed === "global-events" ? "global" : undefined;
  if (!source) return undefined;
  switch (type) {
    case "heartbeat":
      if (!isText(body.catalog) || !isText(body.account_key)) return undefined;
      return {
        type: "heartbeat",
        source,
        now,
        heartbeat: {
          catalog: body.catalog,
          account_key: body.account_key,
          revision: isRevision(body.revision) ? body.revision : 0,
        },
      };
    case "offline":
      if (!isText(body.catalog)) return undefined;
      if (source === "global" && !isText(body.account_key)) return undefined;
      return {
        type: "offline",
        source,
        offline: { catalog: body.catalog, account_key: isText(body.account_key) ? body.account_key : "" },
      };
    case "catalog_shared":
    case "catalog_unshared":
      if (source !== "global" || !isText(body.from_account) || !isText(body.to_account) || !isText(body.catalog))
        return undefined;
      return {
        type: "share-changed",
        shared: type === "catalog_shared",
        change: { from_account: body.from_account, to_account: body.to_account, catalog: body.catalog },
      };
    default:
      return undefined;
  }
}
