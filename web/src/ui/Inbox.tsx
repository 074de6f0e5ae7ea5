import { useState } from "preact/hooks";
import { shortKey, type LoadStatus, type SharedCatalog } from "../state/library-model.ts";
import { OnlineBadge } from "./OnlineBadge.tsx";
import { RichText } from "./RichText.tsx";

type Props = { pending: SharedCatalog[]; status: LoadStatus; onImport(share: SharedCatalog): Promise<void> };

export function Inbox({ pending, status, onImport }: Props) {
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const importShare = (share: SharedCatalog) => {
    setBusy(share.key);
    void onImport(share).finally(() => setBusy(undefined));
  };
  return (
    <section class="panel" aria-labelledby="inbox-title">
      <h2 id="inbox-title">
        Inbox {pending.length > 0 && <span class="count">{pending.length}</span>}
      </h2>
      {status.state === "failed" && (
        <p class="muted">
          <RichText
            text={
              status.code === "CATALOG_OFFLINE"
                ? "Your inbox comes from your own catalog server: start one with `natster catalog serve <name>` to see pending shares."
                : `Could not read your inbox: ${status.message}`
            }
          />
        </p>
      )}
      {status.state === "ready" && pending.length === 0 && <p class="muted">No pending shares.</p>}
      <ul class="catalog-list" aria-label="Pending shares">
        {pending.map((share) => (
          <li key={share.key} class="pending" aria-label={share.catalog}>
            <div>
              <span class="catalog-name">{share.catalog}</span> <OnlineBadge online={share.online} />
              <p class="muted small-text">from {shortKey(share.from)}</p>
            </div>
            <button type="button" class="primary small" disabled={busy === share.key} onClick={() => importShare(share)} aria-label={`Import ${share.catalog}`}>
              {busy === share.key ? "Importing…" : "Import"}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
