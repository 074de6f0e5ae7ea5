import type { NatsConnection } from "@nats-io/nats-core";
import { useCallback, useEffect, useReducer } from "preact/hooks";
import { requestEnvelope } from "@natster/protocol";
import { errorCodeOf, messageOf } from "../../nats/request.ts";
import { LocalServices } from "../../protocol/wire.ts";
import { followFeeds, loadInbox, loadShares, NODE_POLL_MS } from "../../state/feeds.ts";
import { libraryReducer, type LibraryAction } from "../../state/library.ts";
import { initialLibrary, type LibraryState, type SharedCatalog } from "../../state/library-model.ts";

export type Library = {
  state: LibraryState;
  dispatch: (action: LibraryAction) => void;
  reload: () => void;
  importShare: (share: SharedCatalog) => Promise<void>;
};

/** The library of a logged-in page: initial lists, then live feeds, for as long as `nc` lives. */
export function useLibrary(nc: NatsConnection, me: string): Library {
  const [state, dispatch] = useReducer(libraryReducer, me, initialLibrary);

  const reload = useCallback(() => {
    void loadShares(nc, dispatch);
    void loadInbox(nc, dispatch);
  }, [nc]);

  useEffect(() => {
    const stop = followFeeds(nc, dispatch);
    reload();
    return stop;
  }, [nc, reload]);

  // No local agent answered: ask again until the person starts their node (no reload needed).
  const inboxFailed = state.inboxStatus.state === "failed";
  useEffect(() => {
    if (!inboxFailed) return undefined;
    const timer = setInterval(() => void loadInbox(nc, dispatch), NODE_POLL_MS);
    return () => clearInterval(timer);
  }, [nc, inboxFailed]);

  const importShare = useCallback(
    async (share: SharedCatalog) => {
      try {
        await requestEnvelope<unknown>(nc, LocalServices.import, { catalog: share.catalog, from: share.from }, 15_000);
        dispatch({ type: "imported", key: share.key });
        dispatch({ type: "notice", kind: "info", title: "Imported", text: `${share.catalog} is now in your library` });
        reload();
      } catch (error) {
        dispatch({
          type: "notice",
          kind: "error",
          title: `Could not import ${share.catalog}`,
          text: importFailure(error, share),
        });
      }
    },
    [nc, reload],
  );

  return { state, dispatch, reload, importShare };
}

function importFailure(error: unknown, share: SharedCatalog): string {
  switch (errorCodeOf(error)) {
    case "CATALOG_OFFLINE":
      return "Importing goes through your own Natster node: start it with `natster node up`, then press Import again.";
    case "UNKNOWN_VERB":
      return `Your catalog server cannot import from the browser; run \`natster catalog import ${share.catalog} ${share.from}\` instead.`;
    default:
      return messageOf(error);
  }
}
