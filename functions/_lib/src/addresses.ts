import type { EventAddress as WireEventAddress, EventType } from "@natster/protocol";

/** Where things live: pure string builders shared by cores and adapters. */

export type EventAddress = WireEventAddress & { type: EventType };

/** NATSTER_EVENTS subject: `natster.events.<from>.<to>.<catalog>.<type>`. */
export { eventSubject } from "@natster/protocol";

/** A live message for one account, delivered through the `*.natster.global-events.*` export (token 1). */
export const notificationSubject = (to: string, type: string): string => `${to}.natster.global-events.${type}`;

/** NATSTER_ONLINE key of one served catalog. */
export const onlineKey = (account: string, catalog: string): string => `${account}.${catalog}`;
