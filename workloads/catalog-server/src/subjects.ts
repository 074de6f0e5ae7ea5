/**
 * The subjects one catalog server listens on (upstream §5.2). The v2 transfer's credit subjects
 * are subscribed per transfer by the transfer library itself.
 */
import { SHARES_CHANGED, Subjects } from "@natster/protocol";

export const catalogServerSubjects = (catalog: string) => ({
  remoteGet: `*.natster.catalog.${catalog}.get`,
  localGet: `natster.catalog.${catalog}.get`,
  remoteDownload: `*.natster.catalog.${catalog}.download`,
  localDownload: `natster.catalog.${catalog}.download`,
  localServices: "natster.local.>",
  /** Every server of the catalog hears it (no queue); owner-only, like every unprefixed subject. */
  sharesChanged: Subjects.catalogLocal(catalog, SHARES_CHANGED),
});

export const CATALOG_QUEUE = "natstercatalog";
export const LOCAL_SERVICES_QUEUE = "natsterlocalservices";

export const HeartbeatSubjects = {
  globalPut: "natster.global.heartbeats.put",
  globalOffline: "natster.global.heartbeats.offline",
  localHeartbeat: "natster.local-events.heartbeat",
  localOffline: "natster.local-events.offline",
} as const;

export const MY_SHARES = "natster.global.my.shares";

/**
 * Who is asking: "local" for the owner's own account (subject starts with `natster.`), else the
 * importer's account key, which NATS itself wrote into token 1 through the export's token position.
 */
export type Requester = { kind: "local" } | { kind: "remote"; account: string };

export function requesterOf(subject: string): Requester {
  const first = subject.split(".", 1)[0] ?? "";
  return first === "natster" ? { kind: "local" } : { kind: "remote", account: first };
}

export const describeRequester = (r: Requester): string => (r.kind === "local" ? "local" : r.account);
