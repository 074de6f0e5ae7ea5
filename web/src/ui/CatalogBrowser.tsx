import type { NatsConnection } from "@nats-io/nats-core";
import { useEffect, useMemo, useState } from "preact/hooks";
import { humanSize } from "../catalog/format.ts";
import { breadcrumbs, buildTree, findFolder, searchEntries } from "../catalog/tree.ts";
import type { CatalogEntry } from "@natster/protocol";
import type { ShareState } from "../state/share-state.ts";
import { CatalogProblem } from "./CatalogProblem.tsx";
import { CopyKey } from "./CopyKey.tsx";
import { FileList } from "./FileList.tsx";
import { useCatalog } from "./hooks/use-catalog.ts";
import { PersonName } from "./PersonName.tsx";
import { ShareStateBadge } from "./ShareStateBadge.tsx";

export type CatalogSelection = {
  key: string;
  catalog: string;
  from: string;
  /** The sharer's label (name, or short key). */
  fromLabel: string;
  own: boolean;
  online: boolean;
  revision: number;
  state: ShareState;
  /** Unknown import state (no local agent): a failed load may reveal it is not imported. */
  importKnown: boolean;
};

type Props = {
  nc: NatsConnection;
  selection: CatalogSelection;
  importing: boolean;
  onDownload: (entry: CatalogEntry) => void;
  onView: (entry: CatalogEntry) => void;
  onClose: () => void;
  onImport: () => void;
  onHide: () => void;
  onUnreachable: () => void;
  onCopied: (done: boolean) => void;
};

const SEARCH_LIMIT = 500;

/** One catalog: its state's badge and action, and its files once it is imported and online. */
export function CatalogBrowser(props: Props) {
  const { selection, onClose } = props;
  return (
    <section class="browser" aria-label={`Catalog ${selection.catalog}`}>
      <header class="browser-head">
        <div class="browser-title">
          <h2>
            {selection.catalog} <ShareStateBadge state={selection.state} />
          </h2>
          <p class="muted">
            {selection.own ? (
              "Your catalog"
            ) : (
              <>
                Shared by <PersonName label={selection.fromLabel} accountKey={selection.from} />{" "}
                <CopyKey accountKey={selection.from} who={selection.fromLabel} onCopied={props.onCopied} />
              </>
            )}
          </p>
        </div>
        <div class="row">
          <button type="button" onClick={onClose} aria-label="Close catalog">
            Close
          </button>
        </div>
      </header>
      {selection.state === "not-imported" ? (
        <div class="problem" role="region" aria-label="Not imported yet">
          <h3>Not imported yet</h3>
          <p>
            <PersonName label={selection.fromLabel} accountKey={selection.from} /> shares {selection.catalog} with you.
            Import it to browse, watch and download its files; it stays in your library.
          </p>
          <button
            type="button"
            class="primary"
            disabled={props.importing}
            onClick={props.onImport}
            aria-label={`Import ${selection.catalog} from ${selection.fromLabel}`}
          >
            {props.importing ? "Importing…" : "Import"}
          </button>
        </div>
      ) : selection.state === "revoked" ? (
        <div class="problem" role="region" aria-label="Revoked">
          <h3>Revoked</h3>
          <p>
            <PersonName label={selection.fromLabel} accountKey={selection.from} /> no longer shares {selection.catalog}{" "}
            with you. Remove it from your account with <code>natster catalog unimport {selection.catalog}</code>.
          </p>
          <button type="button" onClick={props.onHide} aria-label={`Hide ${selection.catalog}`}>
            Hide
          </button>
        </div>
      ) : (
        <CatalogContents {...props} />
      )}
    </section>
  );
}

function CatalogContents({ nc, selection, onDownload, onView, onUnreachable }: Props) {
  const { load, reload } = useCatalog(nc, selection.catalog, selection.revision, selection.online);
  const noResponders = load.state === "failed" && load.code === "CATALOG_OFFLINE";
  useEffect(() => {
    if (noResponders && selection.online && !selection.importKnown && !selection.own) onUnreachable();
  }, [noResponders, selection.online, selection.importKnown, selection.own, onUnreachable]);
  const [folderPath, setFolderPath] = useState("");
  const [query, setQuery] = useState("");
  const loaded = load.loaded;
  const tree = useMemo(() => buildTree(loaded?.entries ?? []), [loaded]);
  const folder = findFolder(tree, folderPath) ?? tree;
  const search = useMemo(
    () => (query.trim() ? searchEntries(loaded?.entries ?? [], query, SEARCH_LIMIT) : undefined),
    [loaded, query],
  );
  const description = loaded?.description.trim();

  return (
    <>
      <div class="browser-info">
        <p class="muted">
          {description ? description : ""}
          {loaded
            ? `${description ? " · " : ""}${loaded.total.toLocaleString()} files, ${humanSize(tree.byteSize)}`
            : ""}
        </p>
        <button type="button" class="small" onClick={reload} aria-label={`Reload ${selection.catalog}`}>
          Reload
        </button>
      </div>

      {load.state === "failed" && (
        <CatalogProblem
          code={load.code}
          message={load.message}
          catalog={selection.catalog}
          online={selection.online}
          onRetry={reload}
        />
      )}
      {load.state === "loading" && (
        <p class="muted" role="status">
          {load.progress
            ? `Loading… ${load.progress.entries.toLocaleString()} of ${load.progress.total.toLocaleString()} entries`
            : "Loading the catalog…"}
        </p>
      )}

      {loaded && (
        <>
          <div class="toolbar">
            <label class="search">
              <span class="sr-only">Search this catalog</span>
              <input
                type="search"
                placeholder="Search names, descriptions, types…"
                value={query}
                onInput={(e) => setQuery(e.currentTarget.value)}
                aria-label="Search this catalog"
              />
            </label>
          </div>
          {search ? (
            <>
              <p class="muted" role="status">
                {search.total === 0
                  ? "No file matches."
                  : search.total > search.matches.length
                    ? `Showing ${search.matches.length} of ${search.total.toLocaleString()} matches`
                    : `${search.total} ${search.total === 1 ? "match" : "matches"}`}
              </p>
              <FileList
                files={search.matches}
                folders={[]}
                showPaths
                onOpenFolder={setFolderPath}
                onDownload={onDownload}
                onView={onView}
              />
            </>
          ) : (
            <>
              <nav class="crumbs" aria-label="Folder path">
                <button
                  type="button"
                  class="link"
                  onClick={() => setFolderPath("")}
                  aria-current={folder.path === "" ? "page" : undefined}
                >
                  {selection.catalog}
                </button>
                {breadcrumbs(folder.path).map((crumb) => (
                  <span key={crumb.path}>
                    <span aria-hidden="true"> / </span>
                    <button
                      type="button"
                      class="link"
                      onClick={() => setFolderPath(crumb.path)}
                      aria-current={crumb.path === folder.path ? "page" : undefined}
                    >
                      {crumb.name}
                    </button>
                  </span>
                ))}
              </nav>
              {folder.fileCount === 0 && <p class="muted">This catalog has no files yet.</p>}
              <FileList
                files={folder.files}
                folders={folder.folders}
                onOpenFolder={setFolderPath}
                onDownload={onDownload}
                onView={onView}
              />
            </>
          )}
        </>
      )}
    </>
  );
}
