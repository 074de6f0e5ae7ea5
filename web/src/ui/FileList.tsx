import { useEffect, useState } from "preact/hooks";
import { displayDescription, humanSize, shortHash, viewerKind } from "../catalog/format.ts";
import { fileNameOf, type FolderNode } from "../catalog/tree.ts";
import type { CatalogEntry } from "@natster/protocol";
import { FolderIcon } from "./FolderIcon.tsx";

type Props = {
  files: CatalogEntry[];
  folders: FolderNode[];
  showPaths?: boolean;
  onOpenFolder: (path: string) => void;
  onDownload: (entry: CatalogEntry) => void;
  onView: (entry: CatalogEntry) => void;
};

/** Rows are drawn a page at a time: a folder with 100k files stays responsive. */
const ROWS_PER_PAGE = 200;

export function FileList({ files, folders, showPaths, onOpenFolder, onDownload, onView }: Props) {
  const [shown, setShown] = useState(ROWS_PER_PAGE);
  useEffect(() => setShown(ROWS_PER_PAGE), [files, folders]);
  const rows = folders.length + files.length;
  const visibleFolders = folders.slice(0, shown);
  const visibleFiles = files.slice(0, Math.max(0, shown - folders.length));
  if (rows === 0) return null;
  return (
    <>
      <ul class="files" aria-label="Files">
        {visibleFolders.map((folder) => (
          <li key={`d:${folder.path}`} class="file-row folder-row" aria-label={`${folder.name} folder`}>
            <button
              type="button"
              class="folder-button"
              onClick={() => onOpenFolder(folder.path)}
              aria-label={`Open folder ${folder.name}`}
            >
              <FolderIcon />
              <span class="file-name">{folder.name}</span>
            </button>
            <span class="muted">
              {folder.fileCount === 1 ? "1 file" : `${folder.fileCount.toLocaleString()} files`} ·{" "}
              {humanSize(folder.byteSize)}
            </span>
          </li>
        ))}
        {visibleFiles.map((entry) => (
          <FileRow
            key={`f:${entry.hash}:${entry.path}`}
            entry={entry}
            showPath={showPaths}
            onDownload={onDownload}
            onView={onView}
          />
        ))}
      </ul>
      {rows > shown && (
        <button type="button" class="more" onClick={() => setShown((n) => n + ROWS_PER_PAGE)}>
          Show more ({(rows - shown).toLocaleString()} left)
        </button>
      )}
    </>
  );
}

type RowProps = {
  entry: CatalogEntry;
  showPath: boolean | undefined;
  onDownload: (entry: CatalogEntry) => void;
  onView: (entry: CatalogEntry) => void;
};

function FileRow({ entry, showPath, onDownload, onView }: RowProps) {
  const name = fileNameOf(entry);
  const description = displayDescription(entry.description);
  const kind = viewerKind(entry.mime_type);
  return (
    <li class="file-row" aria-label={name}>
      <div class="file-main">
        <span class="file-name">{name}</span>
        {description && <span class="file-description">{description}</span>}
        <span class="muted small-text">
          {humanSize(entry.byte_size)} · {entry.mime_type || "unknown type"}
          {showPath ? ` · ${entry.path}` : ""} · <span title={entry.hash}>{shortHash(entry.hash)}</span>
        </span>
      </div>
      <div class="row">
        {kind && (
          <button
            type="button"
            class="small"
            onClick={() => onView(entry)}
            aria-label={`${kind === "video" || kind === "audio" ? "Play" : "View"} ${name}`}
          >
            {kind === "video" || kind === "audio" ? "Play" : "View"}
          </button>
        )}
        <button type="button" class="small primary" onClick={() => onDownload(entry)} aria-label={`Download ${name}`}>
          Download
        </button>
      </div>
    </li>
  );
}
