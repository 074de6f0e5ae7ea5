/**
 * The subjects a catalog server and the owner's local agent listen and publish on (upstream §5.2).
 * The v2 transfer's credit subjects are subscribed per transfer by the transfer library itself.
 */
import { SHARES_CHANGED, Subjects } from "./subjects.ts";

/** Every server of one catalog shares its requests. */
export const CATALOG_QUEUE = "natstercatalog";
/** Every catalog server and the local agent of an account share `natster.local.<verb>`. */
export const LOCAL_SERVICES_QUEUE = "natsterlocalservices";

// Module-level values are plain literals: a function bundle that imports none of them must not carry them.
const LOCAL_SERVICE_PREFIX = "natster.local.";
export const LOCAL_SERVICES = "natster.local.>";
/** `natster.local.<verb>`: `inbox` and `import` (the web app's Import button). */
export const localServiceSubject = (verb: string): string => `${LOCAL_SERVICE_PREFIX}${verb}`;
/** The verb of a `natster.local.<verb>` subject; "" for any other subject. */
export const localServiceVerb = (subject: string): string =>
  subject.startsWith(LOCAL_SERVICE_PREFIX) ? subject.slice(LOCAL_SERVICE_PREFIX.length) : "";

/** The owner's own feed (the website listens there): heartbeats, offline notices, the agent's hello. */
export type LocalEventType = "heartbeat" | "offline" | "agent_up";
export const localEventSubject = (type: LocalEventType): string => `natster.local-events.${type}`;

/** What an importer's request looks like in the owner's account: NATS wrote its account key into token 1. */
const fromImporter = (catalog: string, op: string): string => `*.${Subjects.catalogLocal(catalog, op)}`;

export const catalogServerSubjects = (catalog: string) => ({
  remoteGet: fromImporter(catalog, "get"),
  localGet: Subjects.catalogLocal(catalog, "get"),
  remoteDownload: fromImporter(catalog, "download"),
  localDownload: Subjects.catalogLocal(catalog, "download"),
  localServices: LOCAL_SERVICES,
  /** Every server of the catalog hears it (no queue); owner-only, like every unprefixed subject. */
  sharesChanged: Subjects.catalogLocal(catalog, SHARES_CHANGED),
});

/** Heartbeats go to the global service (through the user's global import) and to the owner's own feed. */
export const HeartbeatSubjects = {
  globalPut: "natster.global.heartbeats.put",
  globalOffline: "natster.global.heartbeats.offline",
  localHeartbeat: "natster.local-events.heartbeat",
  localOffline: "natster.local-events.offline",
} as const;

/** The owner's share list, in and out (`Subjects.global("my.shares")`). */
export const MY_SHARES = "natster.global.my.shares";

/**
 * Who asks a catalog server: "local" for the owner's own account (the subject starts with
 * `natster.`), else the importer's account key, which NATS itself wrote into token 1 through
 * the export's account token position (never a payload).
 */
export type CatalogRequester = { kind: "local" } | { kind: "remote"; account: string };

export function catalogRequesterOf(subject: string): CatalogRequester {
  const first = subject.split(".", 1)[0] ?? "";
  return first === "natster" ? { kind: "local" } : { kind: "remote", account: first };
}

export const describeCatalogRequester = (r: CatalogRequester): string => (r.kind === "local" ? "local" : r.account);
