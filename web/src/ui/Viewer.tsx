import type { NatsConnection } from "@nats-io/nats-core";
import { useEffect, useRef } from "preact/hooks";
import { viewerKind } from "../catalog/format.ts";
import { fileNameOf } from "../catalog/tree.ts";
import type { CatalogEntry } from "@natster/protocol";
import { BlobView } from "./BlobView.tsx";
import { MediaView } from "./MediaView.tsx";

type Props = { nc: NatsConnection; catalog: string; entry: CatalogEntry; onClose: () => void; onDownload: () => void };

/** The viewer dialog: media streams with seeking, everything else after a verified download. */
export function Viewer({ nc, catalog, entry, onClose, onDownload }: Props) {
  const kind = viewerKind(entry.mime_type);
  const name = fileNameOf(entry);
  const closeButton = useRef<HTMLButtonElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  // Once per opening: the parent re-renders on every live notice, which must not steal focus.
  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    closeButton.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && close.current();
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
      previous?.focus();
    };
  }, []);

  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="dialog" role="dialog" aria-modal="true" aria-label={`${catalog} | ${name}`}>
        <div class="dialog-head">
          <h2>
            <span class="muted">{catalog} |</span> {name}
          </h2>
          <div class="row">
            <button type="button" class="small" onClick={onDownload} aria-label={`Download ${name}`}>
              Download
            </button>
            <button type="button" class="small" ref={closeButton} onClick={onClose} aria-label="Close viewer">
              Close
            </button>
          </div>
        </div>
        <div class="dialog-body">
          {kind === "video" || kind === "audio" ? (
            <MediaView nc={nc} catalog={catalog} entry={entry} kind={kind} />
          ) : kind ? (
            <BlobView nc={nc} catalog={catalog} entry={entry} kind={kind} />
          ) : (
            <p>This type of file ({entry.mime_type}) cannot be shown in the browser. Download it instead.</p>
          )}
        </div>
      </div>
    </div>
  );
}
