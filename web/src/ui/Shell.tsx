import type { NatsConnection } from "@nats-io/nats-core";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ensureMediaWorker } from "../media/media-worker.ts";
import type { ConnectionStatus } from "../nats/connection.ts";
import type { CatalogEntry } from "@natster/protocol";
import { catalogKey, type SharedCatalog } from "../state/library-model.ts";
import { listedShares, sharerLabels, shareState } from "../state/share-state.ts";
import { CatalogBrowser, type CatalogSelection } from "./CatalogBrowser.tsx";
import { Downloads } from "./Downloads.tsx";
import { Header } from "./Header.tsx";
import { saveToDisk, useDownloads, type DownloadItem } from "./hooks/use-downloads.ts";
import { useLibrary } from "./hooks/use-library.ts";
import { Inbox } from "./Inbox.tsx";
import { MyCatalogs } from "./MyCatalogs.tsx";
import { Notices } from "./Notices.tsx";
import { SharedWithMe } from "./SharedWithMe.tsx";
import { Viewer } from "./Viewer.tsx";

type Props = { nc: NatsConnection; account: string; status: ConnectionStatus; onLogOut: () => void };

export function Shell({ nc, account, status, onLogOut }: Props) {
  const library = useLibrary(nc, account);
  const { state, dispatch } = library;
  const [selectedKey, setSelectedKey] = useState<string | undefined>(undefined);
  const [viewing, setViewing] = useState<{ catalog: string; entry: CatalogEntry } | undefined>(undefined);
  const onSaved = useCallback((item: DownloadItem) => item.url && saveToDisk(item.url, item.fileName), []);
  const downloads = useDownloads(nc, onSaved);

  const listed = useMemo(() => listedShares(state), [state]);
  const labels = useMemo(() => sharerLabels(listed), [listed]);
  const pending = useMemo(() => listed.filter((c) => shareState(c) === "not-imported"), [listed]);
  const [importing, setImporting] = useState<string | undefined>(undefined);
  const importShare = useCallback(
    (share: SharedCatalog) => {
      setImporting(share.key);
      void library.importShare(share).finally(() => setImporting(undefined));
    },
    [library.importShare],
  );

  const selection = useMemo((): CatalogSelection | undefined => {
    if (!selectedKey) return undefined;
    const shared = listed.find((c) => c.key === selectedKey);
    if (shared) {
      const fromLabel = labels.get(shared.from) ?? shared.from;
      return {
        key: shared.key,
        catalog: shared.catalog,
        from: shared.from,
        fromLabel,
        own: false,
        online: shared.online,
        revision: shared.revision,
        state: shareState(shared),
        importKnown: shared.imported !== undefined,
      };
    }
    const own = state.own.find((c) => catalogKey(account, c.catalog) === selectedKey);
    return (
      own && {
        key: selectedKey,
        catalog: own.catalog,
        from: account,
        fromLabel: "you",
        own: true,
        online: own.online,
        revision: own.revision,
        state: own.online ? "online" : "offline",
        importKnown: true,
      }
    );
  }, [selectedKey, listed, labels, state.own, account]);

  // Back from a network outage: whatever the feeds missed is in the lists.
  const wasReconnecting = useRef(false);
  useEffect(() => {
    if (status === "connected" && wasReconnecting.current) library.reload();
    wasReconnecting.current = status === "reconnecting";
  }, [status, library.reload]);

  // Installed early, so the first Play does not wait for the service worker.
  useEffect(() => void ensureMediaWorker(), []);

  // A withdrawn share closes its catalog.
  useEffect(() => {
    if (selectedKey && !selection) setSelectedKey(undefined);
  }, [selectedKey, selection]);

  const dismissNotice = useCallback((id: number) => dispatch({ type: "dismiss-notice", id }), [dispatch]);
  const copied = useCallback(
    (done: boolean) =>
      dispatch(
        done
          ? { type: "notice", kind: "info", title: "Copied!", text: "Account key copied to the clipboard" }
          : { type: "notice", kind: "info", title: "Account key selected", text: "Press Ctrl+C (⌘C) to copy it" },
      ),
    [dispatch],
  );
  const copiedKey = useCallback(
    (done: boolean) =>
      dispatch({
        type: "notice",
        kind: "info",
        title: done ? "Copied!" : "Account key",
        text: done ? "Account key copied to the clipboard" : "Copy it from the box",
      }),
    [dispatch],
  );
  const onUnreachable = useCallback(
    () => selectedKey && dispatch({ type: "unreachable", key: selectedKey }),
    [dispatch, selectedKey],
  );

  return (
    <div class="shell">
      <h1 class="sr-only">Natster: catalogs shared with you and your own</h1>
      <Header account={account} status={status} onLogOut={onLogOut} onCopied={copied} />
      <div class={`layout ${selection ? "has-selection" : ""}`}>
        <aside class="sidebar" aria-label="Catalogs">
          <Inbox pending={pending} status={state.inboxStatus} />
          <SharedWithMe
            catalogs={listed}
            labels={labels}
            status={state.sharesStatus}
            selectedKey={selectedKey}
            importing={importing}
            onSelect={setSelectedKey}
            onImport={importShare}
          />
          <MyCatalogs
            catalogs={state.own}
            inboxStatus={state.inboxStatus}
            me={account}
            selectedKey={selectedKey}
            onSelect={setSelectedKey}
          />
        </aside>
        <main class="content">
          {selection ? (
            <CatalogBrowser
              key={selection.key}
              nc={nc}
              selection={selection}
              importing={importing === selection.key}
              onImport={() => {
                const share = listed.find((c) => c.key === selection.key);
                if (share) importShare(share);
              }}
              onHide={() => {
                dispatch({ type: "hide", key: selection.key });
                setSelectedKey(undefined);
              }}
              onUnreachable={onUnreachable}
              onCopied={copiedKey}
              onDownload={(entry) => downloads.start(selection.catalog, entry)}
              onView={(entry) => setViewing({ catalog: selection.catalog, entry })}
              onClose={() => setSelectedKey(undefined)}
            />
          ) : (
            <section class="splash" aria-label="Welcome">
              <h2>Thanks for using Natster!</h2>
              <p>Choose a catalog to browse it: catalogs shared with you, or your own.</p>
            </section>
          )}
        </main>
      </div>
      <Downloads downloads={downloads} />
      <Notices notices={state.notices} onDismiss={dismissNotice} />
      {viewing && (
        <Viewer
          nc={nc}
          catalog={viewing.catalog}
          entry={viewing.entry}
          onClose={() => setViewing(undefined)}
          onDownload={() => downloads.start(viewing.catalog, viewing.entry)}
        />
      )}
    </div>
  );
}
