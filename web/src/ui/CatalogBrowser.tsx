import type { NatsConnection } from "@nats-io/nats-core";
import { useMemo, useState } from "preact/hooks";
import { humanSize } from "../catalog/format.ts";
import { breadcrumbs, buildTree, findFolder, searchEntries } from "../catalog/tree.ts";
import type { CatalogEntry } from "../protocol/wire.ts";
import { shortKey } from "../state/library-model.ts";
import { CatalogProblem } from "./CatalogProblem.tsx";
import { FileList } from "./FileList.tsx";
import { useCatalog } from "./hooks/use-catalog.ts";
import { OnlineBadge } from "./OnlineBadge.tsx";

export type CatalogSelection = { key: string; catalog: string; from: string; own: boolean; online: boolean; revision: number };

type Props = {
  nc: NatsConnection;
  selection: CatalogSelection;
  onDownload(entry: CatalogEntry): void;
  onView(entry: CatalogEntry): void;
  onClose(): void;
};

const SEARCH_LIMIT = 500;

export function CatalogBrowser({ nc, selection, onDownload, onView, onClose }: Props) {
  const { load, reload } = useCatalog(nc, selection.catalog, selection.revision, selection.online);
  const [folderPath, setFolderPath] = useState("");
  const [query, setQuery] = useState("");
  const loaded = load.loaded;
  const tree = useMemo(() => buildTree(loaded?.entries ?? []), [loaded]);
  const folder = findFolder(tree, folderPath) ?? tree;
  const search = useMemo(() => (query.trim() ? searchEntries(loaded?.entries ?? [], query, SEARCH_LIMIT) : undefined), [loaded, query]);
  const description = loaded?.description.trim();

  return (
    <section class="browser" aria-label={`Catalog ${selection.catalog}`}>
      <header class="browser-head">
        <div>
          <h2>
            {selection.catalog} <OnlineBadge online={selection.online} />
          </h2>
          <p class="muted">
            {selection.own ? "Your catalog" : `Shared by ${shortKey(selection.from)}`}
            {description ? ` · ${description}` : ""}
            {loaded ? ` · ${loaded.total.toLocaleString()} files, ${humanSize(tree.byteSize)}` : ""}
          </p>
        </div>
        <div class="row">
          <button type="button" onClick={reload}>
            Reload
          </button>
          <button type="button" onClick={onClose} aria-label="Close catalog">
            Close
          </button>
        </div>
      </header>

      {load.state === "failed" && <CatalogProblem code={load.code} message={load.message} catalog={selection.catalog} online={selection.online} onRetry={reload} />}
      {load.state === "loading" && (
        <p class="muted" role="status">
          {load.progress ? `Loading… ${load.progress.entries.toLocaleString()} of ${load.progress.total.toLocaleString()} entries` : "Loading the catalog…"}
        </p>
      )}

      {loaded && (
        <>
          <div class="toolbar">
            <label class="search">
              <span class="sr-only">Search this catalog</span>
              <input type="search" placeholder="Search names, descriptions, types…" value={query} onInput={(e) => setQuery(e.currentTarget.value)} aria-label="Search this catalog" />
            </label>
          </div>
          {search ? (
            <>
              <p class="muted" role="status">
                {search.total === 0 ? "No file matches." : search.total > search.matches.length ? `Showing ${search.matches.length} of ${search.total.toLocaleString()} matches` : `${search.total} ${search.total === 1 ? "match" : "matches"}`}
              </p>
              <FileList files={search.matches} folders={[]} showPaths onOpenFolder={setFolderPath} onDownload={onDownload} onView={onView} />
            </>
          ) : (
            <>
              <nav class="crumbs" aria-label="Folder path">
                <button type="button" class="link" onClick={() => setFolderPath("")} aria-current={folder.path === "" ? "page" : undefined}>
                  {selection.catalog}
                </button>
                {breadcrumbs(folder.path).map((crumb) => (
                  <span key={crumb.path}>
                    <span aria-hidden="true"> / </span>
                    <button type="button" class="link" onClick={() => setFolderPath(crumb.path)} aria-current={crumb.path === folder.path ? "page" : undefined}>
                      {crumb.name}
                    </button>
                  </span>
                ))}
              </nav>
              {folder.fileCount === 0 && <p class="muted">This catalog has no files yet.</p>}
              <FileList files={folder.files} folders={folder.folders} onOpenFolder={setFolderPath} onDownload={onDownload} onView={onView} />
            </>
          )}
        </>
      )}
    </section>
  );
}
