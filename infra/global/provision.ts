import { DiscardPolicy, jetstreamManager, type StreamConfig } from "@nats-io/jetstream";
import { Kvm, type KvOptions } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import {
  CONFIG_KEY,
  DEAD_LETTER_STREAM,
  DEFAULT_EVENT_RATE_LIMITS,
  DEFAULT_OTC_TTL_MS,
  EVENT_LOG_MAX_BYTES,
  EVENT_LOG_MAX_PER_SUBJECT,
  ONLINE_TTL_MS,
  Stores,
  type GlobalConfig,
} from "@natster/protocol";

export const PROJECTION_BUCKETS = [Stores.accountProjection, Stores.catalogProjection, Stores.statsProjection] as const;

/**
 * Creates what the global functions cannot create through host services: the event log, the
 * projection buckets, the TTL buckets (host auto-provisioning knows no TTL) and the config the
 * functions read. Idempotent; existing data is never touched.
 */
export async function provisionGlobal(nc: NatsConnection, config: GlobalConfig): Promise<void> {
  // Nothing pushes anyone's events out: a full log refuses new events (discard new, LOG_FULL),
  // and the only trimming is of one subject's own history past EVENT_LOG_MAX_PER_SUBJECT (the
  // same sender, receiver, catalog and type: the projections depend only on its latest events).
  await ensureStream(
    nc,
    {
      name: Stores.eventsStream,
      subjects: [Stores.eventsSubjects],
      description: "Natster global event log: the only source of truth",
      max_bytes: EVENT_LOG_MAX_BYTES,
      discard: DiscardPolicy.New,
      max_msgs_per_subject: EVENT_LOG_MAX_PER_SUBJECT,
    },
    ["discard", "max_msgs_per_subject"],
  );
  await ensureStream(nc, {
    name: DEAD_LETTER_STREAM,
    subjects: ["natster.dead-letters.>"],
    description: "Events a function could not apply after its retries",
    max_bytes: 256 * 2 ** 20,
  });
  const kvm = new Kvm(nc);
  for (const bucket of PROJECTION_BUCKETS) await ensureBucket(kvm, bucket, { history: 1, description: "Natster projection" });
  await ensureBucket(kvm, Stores.cursors, { history: 1, description: "Natster projections: how far each has applied the log" });
  await ensureBucket(kvm, Stores.codes, { history: 1, ttl: config.otc_ttl_ms, description: "Natster one-time login codes" });
  await ensureBucket(kvm, Stores.online, { history: 1, ttl: ONLINE_TTL_MS, description: "Natster online catalogs" });
  const longestWindowMs = Math.max(...DEFAULT_EVENT_RATE_LIMITS.map((l) => l.window_s), ...(config.event_rate_limits ?? []).map((l) => l.window_s)) * 1000;
  await ensureBucket(kvm, Stores.rates, { history: 1, ttl: longestWindowMs, description: "Natster per-account event rate counters" });
  const settings = await ensureBucket(kvm, Stores.config, { history: 1, description: "Natster global service settings" });
  await settings.put(CONFIG_KEY, JSON.stringify(config));
}

export const defaultGlobalConfig = (accounts: { hub: string; public: string; global: string }, webUrl?: string): GlobalConfig => ({
  ...accounts,
  hub_catalog: "hub",
  otc_ttl_ms: Number(process.env.NATSTER_OTC_TTL_MS ?? DEFAULT_OTC_TTL_MS),
  ...(webUrl ? { web_url: webUrl } : {}),
});

/** Creates the stream, or brings the `enforced` settings of an existing one up to date (data untouched). */
async function ensureStream(nc: NatsConnection, config: Partial<StreamConfig> & { name: string }, enforced: (keyof StreamConfig)[] = []): Promise<void> {
  const jsm = await jetstreamManager(nc);
  let current: StreamConfig;
  try {
    current = (await jsm.streams.info(config.name)).config;
  } catch {
    await jsm.streams.add(config);
    return;
  }
  if (enforced.some((k) => current[k] !== config[k])) {
    await jsm.streams.update(config.name, { ...current, ...Object.fromEntries(enforced.map((k) => [k, config[k]])) });
  }
}

async function ensureBucket(kvm: Kvm, name: string, opts: Partial<KvOptions>) {
  try {
    return await kvm.open(name).then(async (kv) => {
      await kv.status();
      return kv;
    });
  } catch {
    return kvm.create(name, opts);
  }
}
