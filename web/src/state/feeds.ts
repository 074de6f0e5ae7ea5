import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { requestEnvelope, type CatalogShareSummary, type InboxReply } from "@natster/protocol";
import { errorCodeOf, messageOf } from "../nats/request.ts";
import { Feeds, GlobalRequests, LocalServices } from "../protocol/wire.ts";
import { feedAction } from "./feed-messages.ts";
import type { LibraryAction } from "./library.ts";

type Dispatch = (action: LibraryAction) => void;

export const TICK_MS = 5_000;
/** How often the page asks again for a local agent while none answers. */
export const NODE_POLL_MS = 3_000;
/** The local agent's hello when it starts on the user's node. */
export const AGENT_UP = "natster.local-events.agent_up";
const dec = new TextDecoder();

export async function loadShares(nc: NatsConnection, dispatch: Dispatch): Promise<void> {
  try {
    const shares = await requestEnvelope<CatalogShareSummary[] | null>(nc, GlobalRequests.myShares);
    dispatch({ type: "shares-loaded", shares: Array.isArray(shares) ? shares : [], now: Date.now() });
  } catch (error) {
    dispatch({ type: "shares-failed", message: messageOf(error), ...codeOf(error) });
  }
}

export async function loadInbox(nc: NatsConnection, dispatch: Dispatch): Promise<void> {
  try {
    const inbox = await requestEnvelope<InboxReply>(nc, LocalServices.inbox);
    dispatch({
      type: "inbox-loaded",
      inbox: { ...inbox, unimported_shares: inbox.unimported_shares ?? [] },
      now: Date.now(),
    });
  } catch (error) {
    dispatch({ type: "inbox-failed", message: messageOf(error), ...codeOf(error) });
  }
}

const codeOf = (error: unknown) => {
  const code = errorCodeOf(error);
  return code ? { code } : {};
};

/**
 * Follows the live feeds (global: heartbeats, offline, shares; local: my servers) and the clock.
 * A share change also refreshes the lists, since the servers know more than the notice says.
 */
export function followFeeds(nc: NatsConnection, dispatch: Dispatch): () => void {
  const onMessage = (subject: string, data: Uint8Array) => {
    if (subject === AGENT_UP) return void loadInbox(nc, dispatch);
    let body: unknown;
    try {
      body = JSON.parse(dec.decode(data));
    } catch {
      return;
    }
    const action = feedAction(subject, body, Date.now());
    if (!action) return;
    dispatch(action);
    if (action.type === "share-changed") {
      void loadShares(nc, dispatch);
      void loadInbox(nc, dispatch);
    }
  };
  const subs: Subscription[] = [Feeds.global, Feeds.local].map((subject) =>
    nc.subscribe(subject, { callback: (error, msg) => (error ? undefined : onMessage(msg.subject, msg.data)) }),
  );
  const timer = setInterval(() => dispatch({ type: "tick", now: Date.now() }), TICK_MS);
  return () => {
    clearInterval(timer);
    for (const sub of subs) {
      try {
        sub.unsubscribe();
      } catch {
        // Already closed with its connection.
      }
    }
  };
}
