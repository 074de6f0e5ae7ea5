import { jetstreamManager, type StreamConfig } from "@nats-io/jetstream";
import { Kvm, type KvOptions } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { CONFIG_KEY, DEAD_LETTER_STREAM, DEFAULT_OTC_TTL_MS, ONLINE_TTL_MS, Stores, type GlobalConfig } from "@natster/protocol";

const GiB = 2 ** 30;

export const PROJECTION_BUCKETS = [Stores.accountProjection, Stores.catalogProjection, Stores.statsProjection] as const;

/**
 * Creates what the global functions cannot create through host services: the event log, the
 * projection buckets, the TTL buckets (host auto-provisioning knows no TTL) and the config the
 * functions read. Idempotent; existing data is never touched.
 */
export async function provisionGlobal(nc: NatsConnection, config: GlobalConfig): Promise<void> {
  await ensureStream(nc, {
    name: Stores.eventsStream,
    subjects: [Stores.eventsSubjects],
    description: "Natster global event log: the only source of truth",
    max_bytes: GiB,
  });
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
  const settings = await ensureBucket(kvm, Stores.config, { history: 1, description: "Natster global service settings" });
  await settings.put(CONFIG_KEY, JSON.stringify(config));
}

export const defaultGlobalConfig = (accounts: { hub: string; public: string; global: string }, webUrl?: string): GlobalConfig => ({
  ...accounts,
  hub_catalog: "hub",
  otc_ttl_ms: Number(process.env.NATSTER_OTC_TTL_MS ?? DEFAULT_OTC_TTL_MS),
  ...(webUrl ? { web_url: webUrl } : {}),
});

async function ensureStream(nc: NatsConnection, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(config.name);
  } catch {
    await jsm.streams.add(config);
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
