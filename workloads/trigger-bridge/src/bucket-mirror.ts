import { Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/nats-core";

/** A mirror larger than this is dropped: reads then go to the stream key by key. */
const MAX_MIRROR_BYTES = 64 * 1024 * 1024;

const dec = new TextDecoder();

/**
 * A KV bucket's current values in memory, fed by an ordered watch (the last value of every key,
 * then every change, in stream order). It answers only for a state it can prove: `at(seq,
 * messages)` is true once it has applied the stream exactly up to `seq` and holds one entry per
 * stored message (history 1), so a purge, or a write it has not seen, sends the reader back to
 * the stream.
 */
export class BucketMirror {
  readonly values = new Map<string, string | null>();
  #applied = 0;
  #bytes = 0;
  #closed = false;
  #stop: (() => void) | undefined;
  #waiters: { seq: number; wake: () => void }[] = [];

  private constructor() {}

  static async start(nc: NatsConnection, bucket: string): Promise<BucketMirror> {
    const mirror = new BucketMirror();
    const kv = await new Kvm(nc).open(bucket);
    const watch = await kv.watch();
    mirror.#stop = () => watch.stop();
    void (async () => {
      try {
        for await (const e of watch) {
          if (!mirror.#apply(e.key, e.operation === "PUT" ? dec.decode(e.value) : null, e.revision)) break;
        }
      } catch {
        // the watch ended (connection closing): the mirror stops answering
      } finally {
        mirror.close();
      }
    })();
    return mirror;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Waits (up to `waitMs`) until the stream is applied through `seq`; then true if the mirror is exactly that state. */
  async at(seq: number, messages: number, waitMs: number): Promise<boolean> {
    if (this.#applied < seq && !this.#closed) {
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, waitMs);
        this.#waiters.push({ seq, wake: () => (clearTimeout(timer), wake()) });
      });
    }
    return !this.#closed && this.#applied === seq && this.values.size === messages;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stop?.();
    this.values.clear();
    for (const w of this.#waiters.splice(0)) w.wake();
  }

  #apply(key: string, value: string | null, revision: number): boolean {
    this.#bytes += (value?.length ?? 0) - (this.values.get(key)?.length ?? 0);
    this.values.set(key, value);
    this.#applied = revision;
    if (this.#bytes > MAX_MIRROR_BYTES) return false;
    this.#waiters = this.#waiters.filter((w) => (w.seq <= revision ? (w.wake(), false) : true));
    return true;
  }
}
