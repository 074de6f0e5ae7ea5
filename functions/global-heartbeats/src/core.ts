import type { AccountProjection, Heartbeat, OfflineNotification, OnlineEntry } from "@natster/protocol";
import { asObject, catalogName, stringField } from "../../_lib/src/input.ts";
import type { Notification } from "../../_lib/src/notify.ts";
import { reject } from "../../_lib/src/rejection.ts";

/** `heartbeats.put`: upstream's Heartbeat, sent by the catalog server of the calling account. */
export function parseHeartbeat(caller: string, body: unknown): Heartbeat {
  const heartbeat = asObject(body, "the heartbeat");
  const catalog = catalogName(stringField(heartbeat, "catalog"));
  if (stringField(heartbeat, "account_key") !== caller) reject("FORBIDDEN", "account_key must be the calling account");
  const revision = heartbeat.revision ?? 0;
  if (typeof revision !== "number" || !Number.isSafeInteger(revision) || revision < 0) {
    reject("BAD_REQUEST", "revision must be a non-negative integer");
  }
  return { catalog, account_key: caller, revision };
}

/** `heartbeats.offline`: `{catalog}` of the caller's catalog that stopped. */
export const parseOffline = (body: unknown): string =>
  catalogName(stringField(asObject(body, "the request"), "catalog"));

export const onlineEntry = (heartbeat: Heartbeat, nowSeconds: number): OnlineEntry => ({
  ...heartbeat,
  seen_at: nowSeconds,
});

/**
 * Heartbeats and offline notices go only to the accounts this catalog is shared with (upstream
 * sent every catalog's heartbeat to anyone the sender shared anything with, bug 8).
 */
export function fanOut(
  account: AccountProjection | undefined,
  catalog: string,
  type: "heartbeat" | "offline",
  payload: Heartbeat | OfflineNotification,
): Notification[] {
  const recipients = new Set((account?.out_shares ?? []).filter((s) => s.catalog === catalog).map((s) => s.account));
  return [...recipients].map((to) => ({ to, type, payload }));
}
