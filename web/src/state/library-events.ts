import type { Heartbeat, OfflineNotification, ShareNotification } from "@natster/protocol";
import {
  catalogKey,
  newlySharedCatalog,
  ONLINE_WINDOW_MS,
  shortKey,
  type LibraryState,
  type OwnCatalog,
  type SharedCatalog,
} from "./library-model.ts";
import { notify } from "./notices.ts";

/** A heartbeat of a catalog shared with me (global feed): online now, maybe with new content. */
export function sharedHeartbeat(state: LibraryState, beat: Heartbeat, now: number): LibraryState {
  const key = catalogKey(beat.account_key, beat.catalog);
  const current = state.shared.find((c) => c.key === key);
  if (!current) return state;
  const next: SharedCatalog = { ...current, online: true, lastSeen: now, revision: beat.revision };
  let out: LibraryState = { ...state, shared: state.shared.map((c) => (c.key === key ? next : c)) };
  if (!current.online) out = notify(out, "online", "Catalog online", `${current.catalog} has come online`);
  if (current.revision > 0 && beat.revision !== current.revision) {
    out = notify(out, "content", "New catalog content!", `The catalog ${current.catalog} has published new content`);
  }
  return out;
}

/** A heartbeat of one of my catalog servers (local feed): every server beats, so all get listed. */
export function ownHeartbeat(state: LibraryState, beat: Heartbeat, now: number): LibraryState {
  if (beat.account_key !== state.me) return state;
  const current = findOwn(state.own, beat.catalog);
  const next: OwnCatalog = {
    ...(current ?? emptyOwn(beat.catalog)),
    online: true,
    lastSeen: now,
    revision: beat.revision,
  };
  let out: LibraryState = { ...state, own: replaceOwn(state.own, current, next) };
  if (current && !current.online)
    out = notify(out, "online", "Catalog online", `Your catalog ${current.catalog} has come online`);
  if (current && current.revision > 0 && beat.revision !== current.revision) {
    out = notify(out, "content", "Catalog updated", `Your catalog ${current.catalog} has new content`);
  }
  return out;
}

/** A catalog server said goodbye: offline at once, not after the online window (upstream bug 7). */
export function applyOffline(
  state: LibraryState,
  offline: OfflineNotification,
  source: "global" | "local",
): LibraryState {
  if (source === "local") {
    const current = findOwn(state.own, offline.catalog);
    if (!current?.online) return state;
    const out = { ...state, own: replaceOwn(state.own, current, { ...current, online: false }) };
    return notify(out, "offline", "Catalog offline", `Your catalog ${current.catalog} has gone offline`);
  }
  const key = catalogKey(offline.account_key, offline.catalog);
  const current = state.shared.find((c) => c.key === key);
  if (!current?.online) return state;
  const out = { ...state, shared: state.shared.map((c) => (c.key === key ? { ...c, online: false } : c)) };
  return notify(out, "offline", "Catalog offline", `${current.catalog} has gone offline`);
}

/** A live share or unshare addressed to me: the inbox grows, or the catalog disappears. */
export function applyShareChange(state: LibraryState, change: ShareNotification, shared: boolean): LibraryState {
  if (change.to_account !== state.me) return state;
  const key = catalogKey(change.from_account, change.catalog);
  const current = state.shared.find((c) => c.key === key);
  if (!shared) {
    if (!current) return state;
    const out = { ...state, shared: state.shared.filter((c) => c.key !== key) };
    return notify(out, "unshare", "Share withdrawn", `${change.catalog} is no longer shared with you`);
  }
  if (current) return state;
  const out = {
    ...state,
    shared: [...state.shared, newlySharedCatalog(change)].sort((a, b) => a.catalog.localeCompare(b.catalog)),
  };
  return notify(
    out,
    "share",
    "New share",
    `${shortKey(change.from_account)} shared ${change.catalog} with you — import it from your inbox`,
  );
}

/** Catalogs not heard from within the window go offline (checked on a timer, not only on heartbeats). */
export function expireOnline(state: LibraryState, now: number): LibraryState {
  const stale = (c: { online: boolean; lastSeen: number }) => c.online && now - c.lastSeen > ONLINE_WINDOW_MS;
  const goneShared = state.shared.filter(stale);
  const goneOwn = state.own.filter(stale);
  if (goneShared.length === 0 && goneOwn.length === 0) return state;
  let out: LibraryState = {
    ...state,
    shared: state.shared.map((c) => (stale(c) ? { ...c, online: false } : c)),
    own: state.own.map((c) => (stale(c) ? { ...c, online: false } : c)),
  };
  for (const c of goneShared) out = notify(out, "offline", "Catalog offline", `${c.catalog} has gone offline`);
  for (const c of goneOwn)
    out = notify(out, "offline", "Catalog offline", `Your catalog ${c.catalog} has gone offline`);
  return out;
}

const findOwn = (own: OwnCatalog[], catalog: string) =>
  own.find((c) => c.catalog.toLowerCase() === catalog.toLowerCase());
const emptyOwn = (catalog: string): OwnCatalog => ({
  catalog,
  online: false,
  revision: 0,
  lastSeen: 0,
  sharedWith: [],
});

function replaceOwn(own: OwnCatalog[], current: OwnCatalog | undefined, next: OwnCatalog): OwnCatalog[] {
  return [...own.filter((c) => c !== current), next].sort((a, b) => a.catalog.localeCompare(b.catalog));
}
