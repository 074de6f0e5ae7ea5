import type { NatsConnection } from "@nats-io/nats-core";
import { useEffect, useState } from "preact/hooks";
import { fileNameOf } from "../catalog/tree.ts";
import { registerMedia } from "../media/media-bridge.ts";
import { ensureMediaWorker } from "../media/media-worker.ts";
import type { CatalogEntry } from "@natster/protocol";
import { BlobView } from "./BlobView.tsx";

type Props = { nc: NatsConnection; catalog: string; entry: CatalogEntry; kind: "video" | "audio" };

/**
 * Plays through the media service worker: the element asks for byte ranges as it plays and
 * seeks, and only those ranges are transferred. The browser picks the codec from the file.
 */
export function MediaView({ nc, catalog, entry, kind }: Props) {
  const [url, setUrl] = useState<string | undefined>(undefined);
  const [fallback, setFallback] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    let release: (() => void) | undefined;
    let cancelled = false;
    void ensureMediaWorker().then((ok) => {
      if (cancelled) return;
      if (!ok) return setFallback(true);
      const media = registerMedia({ nc, catalog, hash: entry.hash, size: entry.byte_size, mime: entry.mime_type });
      release = media.release;
      setUrl(media.url);
    });
    return () => {
      cancelled = true;
      release?.();
    };
  }, [nc, catalog, entry]);

  if (fallback) {
    return (
      <>
        <p class="muted">
          Streaming needs service workers, which this browser does not offer here; the whole file is downloaded first.
        </p>
        <BlobView nc={nc} catalog={catalog} entry={entry} kind={kind} />
      </>
    );
  }
  if (!url)
    return (
      <p class="muted" role="status">
        Preparing the stream…
      </p>
    );
  const onError = () =>
    setError(
      `This browser cannot play this file (${entry.mime_type}), or the catalog stopped sending it. Try again, or download it.`,
    );
  const playable = {
    src: url,
    controls: true,
    autoplay: true,
    preload: "metadata",
    "aria-label": fileNameOf(entry),
    onError,
  } as const;
  return (
    <>
      {kind === "video" ? (
        <video class="media" {...playable} disableRemotePlayback />
      ) : (
        <audio class="media-audio" {...playable} />
      )}
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
