/**
 * The shapes the page reads off the wire. The catalog server's own types live in a Node-only
 * package, so the page keeps its copy of the JSON contract here.
 */
export type {
  CatalogShareSummary,
  Heartbeat,
  OfflineNotification,
  OtcClaimReply,
  ShareNotification,
} from "@natster/protocol";
import type { CatalogShareSummary } from "@natster/protocol";

/** One file of a catalog (`get` reply entry). */
export type CatalogEntry = {
  /** "/"-separated, usually with a leading "/". */
  path: string;
  description: string;
  mime_type: string;
  byte_size: number;
  /** Lowercase hex SHA-256: the file's identity. */
  hash: string;
};

/** `natster.catalog.<name>.get` reply: one page of the catalog. */
export type CatalogPage = {
  name: string;
  description: string;
  image?: string;
  entries: CatalogEntry[];
  page: number;
  page_size: number;
  total_entries: number;
  pages: number;
};

/**
 * `natster.local.inbox` reply: shares not imported yet; a catalog server names itself (`catalog`,
 * `revision`), the local agent lists the own catalogs it heard (`catalogs`); `imports` is what
 * this context imported.
 */
export type InboxReply = {
  catalog?: string;
  account_key: string;
  revision?: number;
  unimported_shares: CatalogShareSummary[];
  imports?: { catalog: string; from: string }[];
  catalogs?: { catalog: string; revision: number }[];
};

/** `/stack.json`, served by the web server: where NATS is (every server of a cluster) and the public (claim-only) user. */
export type StackInfo = { ws_url: string; ws_urls: string[]; public_creds: string };

/** Upstream's default entry description: it says nothing, so the page hides it. */
export const DEFAULT_ENTRY_DESCRIPTION = "Auto-imported library entry";

export const Feeds = {
  global: "natster.global-events.>",
  local: "natster.local-events.>",
} as const;

export const LocalServices = {
  inbox: "natster.local.inbox",
  import: "natster.local.import",
} as const;

export const GlobalRequests = {
  myShares: "natster.global.my.shares",
  otcClaim: "natster.global.otc.claim",
} as const;
