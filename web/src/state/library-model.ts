/** What the page knows about catalogs: shared with me, my own, and the inbox of pending shares. */
import type { ShareNotification } from "@natster/protocol";
import type { ShareChanges } from "./share-changes.ts";

/** A catalog heard from within this window counts as online (servers beat every 30 s). */
export const ONLINE_WINDOW_MS = 90_000;
export const MAX_NOTICES = 5;

export type SharedCatalog = {
  /** `<from>/<catalog>`: the same name may come from two accounts. */
  key: string;
  from: string;
  catalog: string;
  online: boolean;
  /** The owner's catalog revision; 0 while unknown. */
  revision: number;
  /** When the page last heard it was online (ms), 0 if never. */
  lastSeen: number;
  /** False while it waits in the inbox; undefined when no local agent or catalog server could tell. */
  imported: boolean | undefined;
  /** The sharer's name (`natster init --name`), a display label only. */
  fromName?: string | undefined;
  /** I imported it and its owner withdrew the share. */
  revoked?: boolean;
};

export type OwnCatalog = {
  catalog: string;
  online: boolean;
  revision: number;
  lastSeen: number;
  /** Accounts I share it with (from `my.shares`). */
  sharedWith: string[];
};

export type LoadStatus =
  | { state: "loading" }
  | { state: "ready" }
  | { state: "failed"; message: string; code?: string };

export type NoticeKind = "content" | "online" | "offline" | "share" | "unshare" | "info" | "error";
export type Notice = { id: number; kind: NoticeKind; title: string; text: string };

export type LibraryState = {
  me: string;
  shared: SharedCatalog[];
  own: OwnCatalog[];
  sharesStatus: LoadStatus;
  inboxStatus: LoadStatus;
  notices: Notice[];
  nextNoticeId: number;
  /** What this context imported, as the local agent reads it (revoked shares are told from it). */
  imports: { catalog: string; from: string }[];
  /** Names of accounts, as the global service gave them. */
  names: Record<string, string>;
  /** Keys of revoked catalogs the person hid for this page. */
  hidden: string[];
  /** Live share changes `my.shares` has not caught up with yet (see share-changes.ts). */
  changes: ShareChanges;
};

export const catalogKey = (from: string, catalog: string): string => `${from}/${catalog.toLowerCase()}`;

/** A catalog just shared with me, before anything else is known of it: offline, not imported. */
export const newlySharedCatalog = (change: ShareNotification): SharedCatalog => ({
  key: catalogKey(change.from_account, change.catalog),
  from: change.from_account,
  catalog: change.catalog,
  online: false,
  revision: 0,
  lastSeen: 0,
  imported: false,
});

export const initialLibrary = (me: string): LibraryState => ({
  me,
  shared: [],
  own: [],
  sharesStatus: { state: "loading" },
  inboxStatus: { state: "loading" },
  notices: [],
  nextNoticeId: 1,
  imports: [],
  names: {},
  hidden: [],
  changes: {},
});

/** Catalogs to list under "Shared with me": imported ones, or all when the inbox is unknown. */
export const visibleShared = (s: LibraryState): SharedCatalog[] => s.shared.filter((c) => c.imported !== false);
export const pendingShares = (s: LibraryState): SharedCatalog[] => s.shared.filter((c) => c.imported === false);

export const shortKey = (key: string): string => (key.length > 12 ? `${key.slice(0, 8)}…${key.slice(-4)}` : key);
