import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";
import { NatsterError, Stores, toBase64Url } from "@natster/protocol";
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { wrongRevision } from "./kv-revision.ts";
import type { NonceStore } from "./nonce-store.ts";

export type KvNonceOptions = {
  ttlMs?: number;
  /** JetStream replicas of the bucket: 1 on one server, 3 on a cluster. */
  replicas?: number;
  /** Nonces issued or used within the last TTL that the bucket may hold. */
  capacity?: number;
  perSourceCapacity?: number;
  now?: () => number;
  random?: (n: number) => Uint8Array;
};

type Issued = { expires: number };

const CREATE_ATTEMPTS = 5;

/**
 * The authority's shared TTL bucket (unused nonces, and `lock.<account>` while an account
 * changes), created if missing, its replicas brought up to date. Reads go to the stream leader (no
 * direct get), so a nonce issued through another instance a moment ago is never missed on a
 * replica that has not caught up.
 */
export async function openAuthorityBucket(
  nc: NatsConnection,
  opts: Pick<KvNonceOptions, "ttlMs" | "replicas"> = {},
): Promise<KV> {
  const replicas = opts.replicas ?? 1;
  const create = () =>
    new Kvm(nc).create(Stores.authorityNonces, {
      history: 1,
      ttl: opts.ttlMs ?? 60_000,
      replicas,
      allow_direct: false,
      description: "Natster account authority: unused nonces and account locks",
    });
  // Instances starting together race to create the bucket, and the server may refuse the loser
  // ("error creating store for stream"): by the next try the bucket is there to open.
  let kv: KV | undefined;
  for (let attempt = 1; !kv; attempt++) {
    try {
      kv = await create();
    } catch (e) {
      if (attempt >= CREATE_ATTEMPTS) throw e;
      await sleep(100 * attempt);
    }
  }
  const jsm = await jetstreamManager(nc);
  const stream = `KV_${Stores.authorityNonces}`;
  const { config } = await jsm.streams.info(stream);
  if (config.num_replicas !== replicas) await jsm.streams.update(stream, { ...config, num_replicas: replicas });
  return kv;
}

/** `<source tag>.<random>`: the tag groups one source's nonces, so counting them is one filtered read. */
const NONCE_SHAPE = /^[0-9a-f]{16}\.[A-Za-z0-9_-]{32}$/;
const sourceTag = (source: string) => createHash("sha256").update(source).digest("hex").slice(0, 16);

/**
 * Nonces in a JetStream TTL bucket, so every authority instance redeems what any of them issued.
 * Issuing creates the key (it cannot exist yet); redeeming deletes it with the revision it was
 * read at, so of two instances redeeming one nonce at once exactly one succeeds. The bucket's TTL
 * removes what nobody redeemed; the stored expiry decides, not the server's sweep.
 */
export class KvNonceBook implements NonceStore {
  readonly ttlMs: number;
  readonly #kv: KV;
  readonly #capacity: number;
  readonly #perSourceCapacity: number;
  readonly #now: () => number;
  readonly #random: (n: number) => Uint8Array;

  constructor(kv: KV, opts: KvNonceOptions = {}) {
    this.#kv = kv;
    this.ttlMs = opts.ttlMs ?? 60_000;
    this.#capacity = opts.capacity ?? 10_000;
    this.#perSourceCapacity = opts.perSourceCapacity ?? 64;
    this.#now = opts.now ?? Date.now;
    this.#random = opts.random ?? ((n) => crypto.getRandomValues(new Uint8Array(n)));
  }

  /** Opens the bucket (openAuthorityBucket) and the book on it. */
  static async open(nc: NatsConnection, opts: KvNonceOptions = {}): Promise<KvNonceBook> {
    return new KvNonceBook(await openAuthorityBucket(nc, opts), opts);
  }

  async issue(source = "unattributed"): Promise<string> {
    const tag = sourceTag(source);
    if ((await this.#unused(tag)) >= this.#perSourceCapacity) {
      throw new NatsterError(
        "NONCE_RATE_LIMITED",
        `this source already holds ${this.#perSourceCapacity} unused nonces; use them or wait ${this.ttlMs / 1000} s`,
      );
    }
    if ((await this.#kv.status()).values >= this.#capacity) {
      throw new NatsterError(
        "NONCE_BOOK_FULL",
        "the authority holds as many unused nonces as it may; retry in a few seconds",
      );
    }
    const nonce = `${tag}.${toBase64Url(this.#random(24))}`;
    await this.#kv.create(nonce, JSON.stringify({ expires: this.#now() + this.ttlMs } satisfies Issued));
    return nonce;
  }

  async consume(nonce: string): Promise<boolean> {
    if (!NONCE_SHAPE.test(nonce)) return false;
    const entry = await this.#kv.get(nonce);
    if (!entry || entry.operation !== "PUT") return false;
    try {
      await this.#kv.delete(nonce, { previousSeq: entry.revision });
    } catch (e) {
      if (wrongRevision(e)) return false; // another instance redeemed it first
      throw e;
    }
    return (entry.json<Issued>().expires ?? 0) > this.#now();
  }

  async #unused(tag: string): Promise<number> {
    let count = 0;
    for await (const key of await this.#kv.keys(`${tag}.*`)) if (key) count++;
    return count;
  }
}
