import type { LoadStatus, SharedCatalog } from "../state/library-model.ts";
import { shortKey } from "../state/library-model.ts";
import { OnlineBadge } from "./OnlineBadge.tsx";

type Props = { catalogs: SharedCatalog[]; status: LoadStatus; selectedKey: string | undefined; onSelect(key: string): void };

export function SharedWithMe({ catalogs, status, selectedKey, onSelect }: Props) {
  return (
    <section class="panel" aria-labelledby="shared-title">
      <h2 id="shared-title">Shared with me</h2>
      {status.state === "loading" && <p class="muted">Loading…</p>}
      {status.state === "failed" && (
        <p class="error-text" role="alert">
          Could not load your shares: {status.message}
        </p>
      )}
      {status.state === "ready" && catalogs.length === 0 && <p class="muted">Nobody shares a catalog with you yet. Give them your account key.</p>}
      <ul class="catalog-list" aria-label="Catalogs shared with me">
        {catalogs.map((c) => (
          <li key={c.key}>
            <button
              type="button"
              class={`catalog-button ${c.key === selectedKey ? "selected" : ""}`}
              aria-current={c.key === selectedKey ? "true" : undefined}
              onClick={() => onSelect(c.key)}
              title={`from ${c.from}`}
            >
              <span class="avatar" aria-hidden="true">
                {c.catalog.slice(0, 1).toUpperCase()}
              </span>
              <span class="catalog-name">{c.catalog}</span>
              <OnlineBadge online={c.online} />
              <span class="sr-only">from {shortKey(c.from)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
