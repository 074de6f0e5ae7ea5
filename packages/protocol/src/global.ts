/**
 * The global service's vocabulary: operations, event types, stores and payloads. Shared by the
 * Nex functions, the provisioning step, the CLI and the web app.
 */

/** Operations under `natster.global.<op>` (upstream's, plus `heartbeats.offline`). */
export const GLOBAL_OPS = [
  "events.put",
  "my.applied",
  "heartbeats.put",
  "heartbeats.offline",
  "stats",
  "my.shares",
  "otc.generate",
  "otc.claim",
  "whoami",
  "catalogs.validatename",
  "context.get",
] as const;
export type GlobalOp = (typeof GLOBAL_OPS)[number];

/** The five upstream event types. */
export const EVENT_TYPES = [
  "natster_initialized",
  "catalog_shared",
  "catalog_unshared",
  "catalog_imported",
  "context_bound",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Event types a caller may put; `context_bound` is written only by `otc.claim` (upstream bug 24). */
export const CALLER_EVENT_TYPES: readonly EventType[] = [
  "natster_initialized",
  "catalog_shared",
  "catalog_unshared",
  "catalog_imported",
];

/** Placeholder token for an unused `<to>` or `<catalog>` in an event subject. */
export const NONE = "none";

export const Stores = {
  eventsStream: "NATSTER_EVENTS",
  eventsSubjects: "natster.events.*.*.*.*",
  accountProjection: "PROJ_ACCOUNT",
  catalogProjection: "PROJ_CATALOG",
  statsProjection: "PROJ_STATS",
  /** How far each projection has read the log: key = projection name, value ProjectionCursor. */
  cursors: "PROJ_CURSOR",
  /** Per-account append counters, one key per account and window (TTL bucket). */
  rates: "NATSTER_RATES",
  codes: "NATSTER_CODES",
  online: "NATSTER_ONLINE",
  config: "NATSTER_CONFIG",
  /** The account authority's unused nonces, shared by all its instances (TTL bucket; key = the nonce). */
  authorityNonces: "NATSTER_AUTH_NONCES",
} as const;

export const DEFAULT_OTC_TTL_MS = 5 * 60_000;
export const ONLINE_TTL_MS = 3 * 60_000;
export const MAX_GLOBAL_PAYLOAD = 16 * 1024;

/** Internal core-NATS subjects inside NATSTER_GLOBAL (not exported; users cannot reach them). */
export const InternalSubjects = {
  entropy: "natster.internal.entropy",
  projection: (name: ProjectionName) => `natster.internal.projections.${name}`,
} as const;

/** How many events one account may append per window (events.put answers 429 RATE_LIMITED past it). */
export type EventRateLimit = { window_s: number; max_events: number };
export const DEFAULT_EVENT_RATE_LIMITS: readonly EventRateLimit[] = [
  { window_s: 60, max_events: 300 },
  { window_s: 86_400, max_events: 5000 },
];
/** NATSTER_EVENTS retention: refuse when full (never drop old events), at most this many per subject. */
export const EVENT_LOG_MAX_BYTES = 2 ** 30;
export const EVENT_LOG_MAX_PER_SUBJECT = 100;
/** The largest stored `data` of any event (natster_initialized's account name is the only one with content). */
export const MAX_EVENT_DATA_BYTES = 512;

/** Stored in NATSTER_CONFIG under `accounts` at provisioning, so functions know the stack's accounts. */
export type GlobalConfig = {
  hub: string;
  public: string;
  global: string;
  hub_catalog: string;
  otc_ttl_ms: number;
  web_url?: string;
  /** Per-account append limits; DEFAULT_EVENT_RATE_LIMITS when absent. */
  event_rate_limits?: EventRateLimit[];
};
export const CONFIG_KEY = "accounts";

/** `events.put` request (upstream `NatsterEvent`). */
export type NatsterEventRequest = { catalog: string; target: string; event_type: string; data?: unknown };

/** What is stored in NATSTER_EVENTS: the request plus an id and the event time. */
export type StoredEvent = { id: string; time: string; event_type: EventType; data: unknown };

export type Heartbeat = { catalog: string; account_key: string; revision: number };

export type ShareEntry = { catalog: string; account: string };

/** PROJ_ACCOUNT value, keyed by account public key. */
export type AccountProjection = {
  out_shares: ShareEntry[];
  in_shares: ShareEntry[];
  /** Unix seconds from the event time; 0 while never initialized. */
  initialized_at: number;
  bound_context?: { bound_at: number };
  /** Highest stream sequence applied to this key (idempotence). */
  applied_seq: number;
};

/** PROJ_CATALOG value, keyed by catalog name. */
export type CatalogProjection = { catalog_name: string; owner: string; shared_with: string[]; applied_seq: number };

/** PROJ_STATS value under key `global` (STATS_KEY). */
export const STATS_KEY = "global";
export type StatsProjection = { total_initialized: number; share_count: number; applied_seq: number };

/** PROJ_CURSOR value: every event up to `through` (stream sequence) is applied. */
export type ProjectionCursor = { through: number };
export const PROJECTION_NAMES = ["account", "catalog"] as const;
export type ProjectionName = (typeof PROJECTION_NAMES)[number];
/**
 * Events per projection call (bench/projection.ts measured it; see the README's Performance
 * section). On the full-size log nearly every account changes in every batch, so each call reads
 * and writes most of the projection whatever its size, and every call's fresh context compiles
 * its hot code again: the more events a call takes, the less of both per event. One call of this
 * many takes under a second on the full log, well inside the 5 s limit (a call that still times
 * out is retried, then replayed event by event). In the bridge's compact form (about 165 bytes an
 * event, plus the subject tokens of 1,000 accounts) it needs four 900 KB parts, so a call may have
 * up to PROJECTION_BATCH_PARTS (JetStreamTriggerSpec.batch_max_parts), with room for larger rows:
 * a batch is not split into calls that read and write the same state again.
 */
export const PROJECTION_BATCH_EVENTS = 18000;
/** Parts of up to 900 KB a projection call may carry (the payload, then parts fetched from the bridge). */
export const PROJECTION_BATCH_PARTS = 6;

/** `events.put` reply: where the log stored the caller's event. */
export type PutEventReply = { seq: number };
/** `my.applied` (`{seq}` in): whether each projection has applied the log through `seq`. */
export type AppliedRequest = { seq: number };
export type AppliedReply = { seq: number; applied: boolean; projections: Record<ProjectionName, number> };

/** NATSTER_ONLINE value, keyed `<account>.<catalog>`. */
export type OnlineEntry = Heartbeat & { seen_at: number };

export type CatalogShareSummary = {
  from_account: string;
  to_account: string;
  catalog: string;
  catalog_online: boolean;
  revision: number;
  /** The sharer's name from `natster init --name` (in-shares; display only, never authorizes). */
  from_name?: string;
  /** The receiver's name (out-shares; display only). */
  to_name?: string;
};

/** `context.get`: the caller's own context (404 NOT_FOUND while never initialized). */
export type ContextReply = { account_key: string; initialized_at: number; bound_context?: { bound_at: number } };

/** Live notification on `<to>.natster.global-events.catalog_shared` / `.catalog_unshared`. */
export type ShareNotification = { from_account: string; to_account: string; catalog: string };
/** Live notification on `<to>.natster.global-events.offline`. */
export type OfflineNotification = { catalog: string; account_key: string };

export type WhoamiReply = { account_key: string; initialized: number; bound?: boolean };
export type StatsReply = { total_initialized: number; running_catalogs: number; share_count: number };
export type ValidateNameReply = { valid: boolean; message: string };

/** `otc.generate`: the sealed browser credentials to keep behind the code (see the login flow). */
export type OtcGenerateRequest = { sealed: string };
export type OtcGenerateReply = { code: string; valid_minutes: number; claim_url: string };
/** What `otc.claim` (public account only) returns, exactly once per code. */
export type OtcClaimReply = { account: string; sealed: string };
export type OtcRecord = OtcClaimReply & { created_at: number };

/** The entropy service on `InternalSubjects.entropy`: `{bytes}` in, `{hex}` out (or a 400 envelope). */
export type EntropyRequest = { bytes: number };
export type EntropyReply = { hex: string };
export const MAX_ENTROPY_BYTES = 64;
