import { catalogKey, type LoadStatus, type OwnCatalog } from "../state/library-model.ts";
import { OnlineBadge } from "./OnlineBadge.tsx";

type Props = {
  catalogs: OwnCatalog[];
  inboxStatus: LoadStatus;
  me: string;
  selectedKey: string | undefined;
  onSelect: (key: string) => void;
};

export function MyCatalogs({ catalogs, inboxStatus, me, selectedKey, onSelect }: Props) {
  const noServer = inboxStatus.state === "failed" && inboxStatus.code === "CATALOG_OFFLINE";
  return (
    <section class="panel" aria-labelledby="mine-title">
      <h2 id="mine-title">My catalogs</h2>
      {catalogs.length === 0 && inboxStatus.state !== "loading" && (
        <p class="muted">
          {noServer ? "None of your catalog servers is running. " : "You serve no catalog yet. "}
          Start one with <code>natster catalog serve &lt;name&gt;</code>.
        </p>
      )}
      <ul class="catalog-list" aria-label="My catalogs">
        {catalogs.map((c) => {
          const key = catalogKey(me, c.catalog);
          return (
            <li key={key}>
              <button
                type="button"
                class={`catalog-button ${key === selectedKey ? "selected" : ""}`}
                aria-current={key === selectedKey ? "true" : undefined}
                onClick={() => onSelect(key)}
              >
                <span class="avatar own" aria-hidden="true">
                  {c.catalog.slice(0, 1).toUpperCase()}
                </span>
                <span class="catalog-name">{c.catalog}</span>
                <OnlineBadge online={c.online} />
              </button>
              <p class="catalog-meta muted">
                {c.sharedWith.length === 0
                  ? "not shared"
                  : `shared with ${c.sharedWith.length} ${c.sharedWith.length === 1 ? "account" : "accounts"}`}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
