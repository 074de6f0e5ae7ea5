import { humanSize, percent } from "../catalog/format.ts";
import { verificationNote } from "../transfer/verification-note.ts";
import type { Downloads as DownloadsApi, DownloadItem } from "./hooks/use-downloads.ts";

export function Downloads({ downloads }: { downloads: DownloadsApi }) {
  if (downloads.items.length === 0) return null;
  return (
    <section class="downloads" aria-labelledby="downloads-title">
      <h2 id="downloads-title">Downloads</h2>
      <ul>
        {downloads.items.map((item) => (
          <DownloadRow
            key={item.id}
            item={item}
            onCancel={() => downloads.cancel(item.id)}
            onDismiss={() => downloads.dismiss(item.id)}
          />
        ))}
      </ul>
    </section>
  );
}

function DownloadRow({
  item,
  onCancel,
  onDismiss,
}: {
  item: DownloadItem;
  onCancel: () => void;
  onDismiss: () => void;
}) {
  return (
    <li class="download" aria-label={item.fileName}>
      <div class="download-head">
        <span class="file-name">{item.fileName}</span>
        <span class="muted small-text" title={item.state === "done" ? verificationNote(item.verified) : undefined}>
          {status(item)}
        </span>
      </div>
      {item.state === "running" && (
        <progress max={100} value={percent(item.received, item.total)} aria-label={`Downloading ${item.fileName}`} />
      )}
      {item.state === "failed" && (
        <p class="error-text small-text" role="alert">
          {item.error}
        </p>
      )}
      <div class="row">
        {item.state === "running" && (
          <button type="button" class="small" onClick={onCancel} aria-label={`Cancel ${item.fileName}`}>
            Cancel
          </button>
        )}
        {item.state === "done" && item.url && (
          <a class="button small primary" href={item.url} download={item.fileName}>
            Save {item.fileName}
          </a>
        )}
        {item.state !== "running" && (
          <button type="button" class="small" onClick={onDismiss} aria-label={`Dismiss ${item.fileName}`}>
            Dismiss
          </button>
        )}
      </div>
    </li>
  );
}

function status(item: DownloadItem): string {
  switch (item.state) {
    case "running":
      return `${humanSize(item.received)} of ${humanSize(item.total)} · ${humanSize(item.bytesPerSecond)}/s`;
    case "done":
      return `${humanSize(item.total)} · SHA-256 verified${item.streamed ? " · saved to your downloads" : ""}`;
    case "cancelled":
      return "cancelled";
    case "failed":
      return "failed";
  }
}
