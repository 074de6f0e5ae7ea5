import { publishJson } from "nex-fn";

/** A live message for one account, delivered through the `*.natster.global-events.*` export (token 1). */
export type Notification = { to: string; type: string; payload: unknown };

export const notificationSubject = (n: Notification): string => `${n.to}.natster.global-events.${n.type}`;

export function notifyAll(notifications: readonly Notification[]): void {
  for (const n of notifications) publishJson(notificationSubject(n), n.payload);
}

/** NATSTER_ONLINE key of one served catalog. */
export const onlineKey = (account: string, catalog: string): string => `${account}.${catalog}`;
