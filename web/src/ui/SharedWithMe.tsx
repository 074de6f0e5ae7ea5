import type { LoadStatus, SharedCatalog } from "../state/library-model.ts";
import { shareState } from "../state/share-state.ts";
import { PersonName } from "./PersonName.tsx";
import { ShareStateBadge } from "./ShareStateBadge.tsx";

type Props = {
  catalogs: SharedCatalog[];
  labels: Map<string, string>;
  status: LoadStatus;
  selectedKey: string | undefined;
  importing: string | undefined;
  onSelect: (key: string) => void;
  onImport: (share: SharedCatalog) => void;
};

export function SharedWithMe({ catalogs, labels, status, selectedKey, importing, onSelect, onImport }: Props) {
  return (
    <section class="panel" aria-labelledby="shared-title">
      <h2 id="shared-title">Shared with me</h2>
      {status.state === "loading" && <p class="muted">Loading…</p>}
      {status.state === "failed" && (
        <p class="error-text" role="alert">
          Could not load your shares: {status.message}
        </p>
      )}
      {status.state === "ready" && catalogs.length === 0 && (
        <p class="muted">Nobody shares a catalog with you yet. Give them your account key.</p>
      )}
      <ul class="catalog-list" aria-label="Catalogs shared with me">
        {catalogs.map((c) => {
          const state = shareState(c);
          const selected = c.key === selectedKey;
          const who = labels.get(c.from) ?? c.from;
          return (
            <li key={c.key} class="shared-row" aria-label={c.catalog}>
              <button
                type="button"
                class={`catalog-button ${selected ? "selected" : ""}`}
                aria-current={selected ? "true" : undefined}
                onClick={() => onSelect(c.key)}
              >
                <span class="avatar" aria-hidden="true">
                  {c.catalog.slice(0, 1).toUpperCase()}
                </span>
                <span class="catalog-label">
                  <span class="catalog-name">{c.catalog}</span>
                  <span class="catalog-from muted">
                    {" from "}
                    <PersonName label={who} accountKey={c.from} />
                  </span>
                </span>
              </button>
              {/* Beside the button, not in it: the button's name stays the catalog and its sharer. */}
              <ShareStateBadge state={state} />
              {state === "not-imported" && !selected && (
                <button
                  type="button"
                  class="primary small"
                  disabled={importing === c.key}
                  onClick={() => onImport(c)}
                  aria-label={`Import ${c.catalog} from ${who}`}
                >
                  {importing === c.key ? "Importing…" : "Import"}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
