import type {
  CatalogShareSummary,
  Heartbeat,
  InboxReply,
  OfflineNotification,
  ShareNotification,
} from "@natster/protocol";
import { applyOffline, applyShareChange, expireOnline, ownHeartbeat, sharedHeartbeat } from "./library-events.ts";
import {
  catalogKey,
  type LibraryState,
  type NoticeKind,
  type OwnCatalog,
  type SharedCatalog,
} from "./library-model.ts";
import { notify } from "./notices.ts";
import { recordChange, reconcile } from "./share-changes.ts";

export type LibraryAction =
  | { type: "shares-loaded"; shares: CatalogShareSummary[]; now: number }
  | { type: "shares-failed"; message: string; code?: string }
  | { type: "inbox-loaded"; inbox: InboxReply; now: number }
  | { type: "inbox-failed"; message: string; code?: string }
  | { type: "heartbeat"; heartbeat: Heartbeat; source: "global" | "local"; now: number }
  | { type: "offline"; offline: OfflineNotification; source: "global" | "local" }
  | { type: "share-changed"; change: ShareNotification; shared: boolean }
  | { type: "imported"; key: string }
  | { type: "unreachable"; key: string }
  | { type: "hide"; key: string }
  | { type: "tick"; now: number }
  | { type: "notice"; kind: NoticeKind; title: string; text: string }
  | { type: "dismiss-notice"; id: number };

/** The pure heart of the page's catalog state: every feed message and reply goes through here. */
export function libraryReducer(state: LibraryState, action: LibraryAction): LibraryState {
  switch (action.type) {
    case "shares-loaded":
      return applyShares(state, action.shares, action.now);
    case "shares-failed":
      return {
        ...state,
        sharesStatus: { state: "failed", message: action.message, ...(action.code ? { code: action.code } : {}) },
      };
    case "inbox-loaded":
      return applyInbox(state, action.inbox, action.now);
    case "inbox-failed":
      return {
        ...state,
        inboxStatus: { state: "failed", message: action.message, ...(action.code ? { code: action.code } : {}) },
      };
    case "heartbeat":
      return action.source === "local"
        ? ownHeartbeat(state, action.heartbeat, action.now)
        : sharedHeartbeat(state, action.heartbeat, action.now);
    case "offline":
      return applyOffline(state, action.offline, action.source);
    case "share-changed":
      if (action.change.to_account !== state.me) return state;
      return {
        ...applyShareChange(state, action.change, action.shared),
        changes: recordChange(state.changes, action.change, action.shared),
      };
    case "imported":
      return { ...state, shared: state.shared.map((c) => (c.key === action.key ? { ...c, imported: true } : c)) };
    case "unreachable":
      // Listed online, yet its catalog subjects have no responders here: the import is missing.
      return {
        ...state,
        shared: state.shared.map((c) =>
          c.key === action.key && c.online && c.imported === undefined ? { ...c, imported: false } : c,
        ),
      };
    case "hide":
      return { ...state, hidden: [...state.hidden.filter((k) => k !== action.key), action.key] };
    case "tick":
      return expireOnline(state, action.now);
    case "notice":
      return notify(state, action.kind, action.title, action.text);
    case "dismiss-notice":
      return { ...state, notices: state.notices.filter((n) => n.id !== action.id) };
  }
}

const byName = <T extends { catalog: string }>(a: T, b: T) => a.catalog.localeCompare(b.catalog);

function upsertShared(list: SharedCatalog[], next: SharedCatalog): SharedCatalog[] {
  const rest = list.filter((c) => c.key !== next.key);
  return [...rest, next].sort(byName);
}

function upsertOwn(list: OwnCatalog[], catalog: string, patch: Partial<OwnCatalog>): OwnCatalog[] {
  const current = list.find((c) => c.catalog.toLowerCase() === catalog.toLowerCase());
  const base: OwnCatalog = current ?? { catalog, online: false, revision: 0, lastSeen: 0, sharedWith: [] };
  return [...list.filter((c) => c !== current), { ...base, ...patch }].sort(byName);
}

/** `my.shares`: in-shares become catalogs shared with me, out-shares tell whom my catalogs go to. */
function applyShares(state: LibraryState, shares: CatalogShareSummary[], now: number): LibraryState {
  const previous = new Map(state.shared.map((c) => [c.key, c]));
  const shared = shares
    .filter((s) => s.to_account === state.me && s.from_account !== state.me)
    .map((s): SharedCatalog => {
      const key = catalogKey(s.from_account, s.catalog);
      const known = previous.get(key);
      return {
        key,
        from: s.from_account,
        catalog: s.catalog,
        online: s.catalog_online,
        revision: s.revision || known?.revision || 0,
        lastSeen: s.catalog_online ? now : (known?.lastSeen ?? 0),
        imported: known?.imported,
        fromName: s.from_name ?? known?.fromName,
      };
    })
    .sort(byName);
  const reconciled = reconcile(shared, state.changes, state.shared);
  const names = { ...state.names };
  for (const s of shares) {
    if (s.from_name) names[s.from_account] = s.from_name;
    if (s.to_name) names[s.to_account] = s.to_name;
  }
  let own = state.own.map((c) => ({ ...c, sharedWith: [] as string[] }));
  for (const s of shares.filter((x) => x.from_account === state.me)) {
    const current = own.find((c) => c.catalog.toLowerCase() === s.catalog.toLowerCase());
    own = upsertOwn(own, s.catalog, { sharedWith: [...(current?.sharedWith ?? []), s.to_account] });
  }
  return {
    ...state,
    shared: reconciled.shared,
    changes: reconciled.changes,
    own,
    names,
    sharesStatus: { state: "ready" },
  };
}

/** `natster.local.inbox`: the server that answered is mine and online; its list says what is not imported. */
function applyInbox(state: LibraryState, inbox: InboxReply, now: number): LibraryState {
  const pending = new Set(
    inbox.unimported_shares.filter((s) => s.to_account === state.me).map((s) => catalogKey(s.from_account, s.catalog)),
  );
  let shared: SharedCatalog[] = state.shared.map((c) => ({ ...c, imported: !pending.has(c.key) }));
  for (const s of inbox.unimported_shares) {
    const key = catalogKey(s.from_account, s.catalog);
    if (s.to_account !== state.me || shared.some((c) => c.key === key)) continue;
    shared = upsertShared(shared, {
      key,
      from: s.from_account,
      catalog: s.catalog,
      online: s.catalog_online,
      revision: s.revision,
      lastSeen: s.catalog_online ? now : 0,
      imported: false,
      fromName: s.from_name,
    });
  }
  // An inbox read through a stale my.shares must not bring back a share just withdrawn.
  shared = reconcile(shared, state.changes, state.shared).shared;
  // The server that answered is online; the local agent lists the servers it heard beat.
  const served = [
    ...(inbox.catalog ? [{ catalog: inbox.catalog, revision: inbox.revision ?? 0 }] : []),
    ...(inbox.catalogs ?? []),
  ];
  let own = state.own;
  for (const c of served) own = upsertOwn(own, c.catalog, { online: true, revision: c.revision, lastSeen: now });
  const imports = inbox.imports ?? state.imports;
  return { ...state, shared, own, imports, inboxStatus: { state: "ready" } };
}
