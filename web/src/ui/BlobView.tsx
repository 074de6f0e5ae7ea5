import type { NatsConnection } from "@nats-io/nats-core";
import { useEffect, useState } from "preact/hooks";
import { humanSize, MAX_IN_PAGE_BYTES, MAX_TEXT_VIEW_BYTES, percent, type ViewerKind } from "../catalog/format.ts";
import { fileNameOf } from "../catalog/tree.ts";
import { messageOf } from "../nats/request.ts";
import type { CatalogEntry } from "@natster/protocol";
import { downloadVerifiedBlob } from "../transfer/download.ts";

type Props = { nc: NatsConnection; catalog: string; entry: CatalogEntry; kind: ViewerKind };
type Shown =
  | { state: "loading"; received: number }
  | { state: "ready"; url: string; text?: string }
  | { state: "failed"; message: string };

/** Images, PDFs, text (and media without a service worker): shown only after the SHA-256 checked out. */
export function BlobView({ nc, catalog, entry, kind }: Props) {
  const [shown, setShown] = useState<Shown>({ state: "loading", received: 0 });
  const limit = kind === "text" ? MAX_TEXT_VIEW_BYTES : MAX_IN_PAGE_BYTES;
  const tooLarge = entry.byte_size > limit;

  useEffect(() => {
    if (tooLarge) return undefined;
    const abort = new AbortController();
    let url: string | undefined;
    downloadVerifiedBlob({
      nc,
      catalog,
      entry,
      signal: abort.signal,
      onProgress: (p) => setShown({ state: "loading", received: p.received }),
    })
      .then(async ({ blob }) => {
        const text = kind === "text" ? new TextDecoder("utf-8").decode(await blob.arrayBuffer()) : undefined;
        url = URL.createObjectURL(blob);
        if (!abort.signal.aborted) setShown({ state: "ready", url, ...(text !== undefined ? { text } : {}) });
      })
      .catch((error: unknown) => !abort.signal.aborted && setShown({ state: "failed", message: messageOf(error) }));
    return () => {
      abort.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [nc, catalog, entry, kind, tooLarge]);

  const name = fileNameOf(entry);
  if (tooLarge) return <p>This file is {humanSize(entry.byte_size)}, too large to show here. Download it instead.</p>;
  if (shown.state === "failed") {
    return (
      <p class="error-text" role="alert">
        Could not show {name}: {shown.message}
      </p>
    );
  }
  if (shown.state === "loading") {
    return (
      <div class="loading-file">
        <progress max={100} value={percent(shown.received, entry.byte_size)} aria-label={`Loading ${name}`} />
        <p class="muted">
          Fetching and verifying {humanSize(shown.received)} of {humanSize(entry.byte_size)}…
        </p>
      </div>
    );
  }
  switch (kind) {
    case "image":
      return <img class="view-image" src={shown.url} alt={name} />;
    case "pdf":
      return <iframe class="view-pdf" src={shown.url} title={name} />;
    case "text":
      return (
        <pre class="view-text" aria-label={name} tabIndex={0}>
          {shown.text}
        </pre>
      );
    case "video":
      return <video class="media" src={shown.url} controls autoplay aria-label={name} />;
    case "audio":
      return <audio class="media-audio" src={shown.url} controls autoplay aria-label={name} />;
  }
}
