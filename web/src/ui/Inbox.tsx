import type { LoadStatus, SharedCatalog } from "../state/library-model.ts";
import { RichText } from "./RichText.tsx";

type Props = { pending: SharedCatalog[]; status: LoadStatus };

/** Whether this computer can import (the user's node and its local agent), and what waits for it. */
export function Inbox({ pending, status }: Props) {
  const noNode = status.state === "failed" && status.code === "CATALOG_OFFLINE";
  return (
    <section class="panel" aria-labelledby="inbox-title">
      <h2 id="inbox-title">
        Inbox{" "}
        {pending.length > 0 && (
          <span class="count">
            {pending.length}
            <span class="sr-only"> not imported</span>
          </span>
        )}
      </h2>
      {status.state === "loading" && <p class="muted">Asking your node…</p>}
      {noNode && (
        <p class="node-hint" role="status">
          <RichText text="Importing goes through your own Natster node, and it is not running on this computer. Start it with `natster node up`: this page notices by itself." />
        </p>
      )}
      {status.state === "failed" && !noNode && <p class="muted">Could not read your inbox: {status.message}</p>}
      {status.state === "ready" && (
        <p class="muted" role="status">
          {pending.length === 0
            ? "No pending shares."
            : `${pending.length} shared ${pending.length === 1 ? "catalog waits" : "catalogs wait"} for you to import ${pending.length === 1 ? "it" : "them"}: press Import beside it.`}
        </p>
      )}
    </section>
  );
}
