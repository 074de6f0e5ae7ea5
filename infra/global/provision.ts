import { DiscardPolicy, jetstreamManager, type JetStreamManager, type StreamConfig } from "@nats-io/jetstream";
import { Kvm, type KvOptions } from "@nats-io/kv";
import { Objm } from "@nats-io/obj";
import type { NatsConnection } from "@nats-io/nats-core";
import { setTimeout as sleep } from "node:timers/promises";
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
import { NEXCLIFILES_BUCKET, NEXCLIFILES_MAX_BYTES } from "nex-node";

export const PROJECTION_BUCKETS = [Stores.accountProjection, Stores.catalogProjection, Stores.statsProjection] as const;

export type ProvisionOptions = {
  /**
   * JetStream replicas of the event log, every bucket and the artifact object store: 3 on a
   * cluster (`natster up --cluster 3`), 1 on a single server. Default: those of the event log
   * when it exists (a rebuild keeps what `up` made), else 1. Only new streams get it.
   */
  replicas?: number;
};

/**
 * Creates what the global functions cannot create through host services: the event log, the
 * projection buckets, the TTL buckets (host auto-provisioning knows no TTL), the Nex artifact
 * store and the config the functions read. Idempotent; existing data is never touched.
 */
export async function provisionGlobal(
  nc: NatsConnection,
  config: GlobalConfig,
  opts: ProvisionOptions = {},
): Promise<void> {
  const replicas = opts.replicas ?? (await eventLogReplicas(nc)) ?? 1;
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
      num_replicas: replicas,
    },
    ["discard", "max_msgs_per_subject"],
  );
  await ensureStream(nc, {
    name: DEAD_LETTER_STREAM,
    subjects: ["natster.dead-letters.>"],
    description: "Events a function could not apply after its retries",
    max_bytes: 256 * 2 ** 20,
    num_replicas: replicas,
  });
  const kvm = new Kvm(nc);
  const jsm = await jetstreamManager(nc);
  for (const bucket of PROJECTION_BUCKETS)
    await ensureBucket(kvm, jsm, bucket, { history: 1, replicas, description: "Natster projection" });
  await ensureBucket(kvm, jsm, Stores.cursors, {
    history: 1,
    replicas,
    description: "Natster projections: how far each has applied the log",
  });
  await ensureBucket(kvm, jsm, Stores.codes, {
    history: 1,
    replicas,
    ttl: config.otc_ttl_ms,
    description: "Natster one-time login codes",
  });
  await ensureBucket(kvm, jsm, Stores.online, {
    history: 1,
    replicas,
    ttl: ONLINE_TTL_MS,
    description: "Natster online catalogs",
  });
  const longestWindowMs =
    Math.max(
      ...DEFAULT_EVENT_RATE_LIMITS.map((l) => l.window_s),
      ...(config.event_rate_limits ?? []).map((l) => l.window_s),
    ) * 1000;
  await ensureBucket(kvm, jsm, Stores.rates, {
    history: 1,
    replicas,
    ttl: longestWindowMs,
    description: "Natster per-account event rate counters",
  });
  const settings = await ensureBucket(kvm, jsm, Stores.config, {
    history: 1,
    replicas,
    description: "Natster global service settings",
  });
  await settings.put(CONFIG_KEY, JSON.stringify(config));
  // The Nex artifacts (what every global node fetches to deploy): created here so it gets the replicas, not on first upload.
  await new Objm(nc).create(NEXCLIFILES_BUCKET, { max_bytes: NEXCLIFILES_MAX_BYTES, replicas });
  await whenStreamHasLeader(jsm, `OBJ_${NEXCLIFILES_BUCKET}`, replicas);
}

/** The event log's replicas, if it exists. */
async function eventLogReplicas(nc: NatsConnection): Promise<number | undefined> {
  const jsm = await jetstreamManager(nc);
  return jsm.streams.info(Stores.eventsStream).then(
    (info) => info.config.num_replicas,
    () => undefined,
  );
}

export const defaultGlobalConfig = (
  accounts: { hub: string; public: string; global: string },
  webUrl?: string,
): GlobalConfig => ({
  ...accounts,
  hub_catalog: "hub",
  otc_ttl_ms: Number(process.env.NATSTER_OTC_TTL_MS ?? DEFAULT_OTC_TTL_MS),
  ...(webUrl ? { web_url: webUrl } : {}),
});

/** Creates the stream, or brings the `enforced` settings of an existing one up to date (data untouched). */
async function ensureStream(
  nc: NatsConnection,
  config: Partial<StreamConfig> & { name: string },
  enforced: (keyof StreamConfig)[] = [],
): Promise<void> {
  const jsm = await jetstreamManager(nc);
  let current: StreamConfig;
  try {
    current = (await jsm.streams.info(config.name)).config;
  } catch {
    await jsm.streams.add(config);
    await whenStreamHasLeader(jsm, config.name, config.num_replicas ?? 1);
    return;
  }
  if (enforced.some((k) => current[k] !== config[k])) {
    await jsm.streams.update(config.name, { ...current, ...Object.fromEntries(enforced.map((k) => [k, config[k]])) });
  }
}

async function ensureBucket(kvm: Kvm, jsm: JetStreamManager, name: string, opts: Partial<KvOptions>) {
  try {
    return await kvm.open(name).then(async (kv) => {
      await kv.status();
      return kv;
    });
  } catch {
    const kv = await kvm.create(name, opts);
    await whenStreamHasLeader(jsm, `KV_${name}`, opts.replicas ?? 1);
    return kv;
  }
}

/** nats-server answers the create of a replicated stream before the stream has elected its leader: wait for it. */
async function whenStreamHasLeader(
  jsm: JetStreamManager,
  stream: string,
  replicas: number,
  timeoutMs = 30_000,
): Promise<void> {
  if (replicas <= 1) return;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const info = await jsm.streams.info(stream).catch(() => undefined);
    if (info?.cluster?.leader) return;
    await sleep(100);
  }
  throw new Error(`stream ${stream} (R${replicas}) has no leader after ${timeoutMs} ms`);
}
