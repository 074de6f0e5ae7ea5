import { publishJson } from "nex-fn";
import { notificationSubject } from "./addresses.ts";

export type Notification = { to: string; type: string; payload: unknown };

export function notifyAll(notifications: readonly Notification[]): void {
  for (const n of notifications) publishJson(notificationSubject(n.to, n.type), n.payload);
}
