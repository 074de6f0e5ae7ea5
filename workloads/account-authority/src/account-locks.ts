import type { KV } from "@nats-io/kv";
import { NatsterError } from "@natster/protocol";
import { setTimeout as sleep } from "node:timers/promises";
import { wrongRevision } from "./kv-revision.ts";

/** Runs one change of an account at a time: each reads the account's JWT, then pushes the next. */
export interface AccountLocks {
  run<T>(account: string, work: () => Promise<T>): Promise<T>;
}

/** One instance: the changes of an account queue up in this process. */
export class LocalLocks implements AccountLocks {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(account: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(account) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.#tails.set(account, tail);
    void tail.then(() => {
      if (this.#tails.get(account) === tail) this.#tails.delete(account);
    });
    return next;
  }
}

export type KvLockOptions = {
  /** How long a change waits for another instance's before AUTH_ACCOUNT_BUSY. */
  waitMs?: number;
  pollMs?: number;
  /** Called each time the lock was found held by someone else (logs, tests). */
  onWait?: (account: string) => void;
};

export const lockKey = (account: string) => `lock.${account}`;

/**
 * Several instances: a change holds `lock.<account>` in the authority's TTL bucket, created only
 * if absent and deleted at the revision it was created with. An instance that dies holding it
 * frees it when the bucket's TTL removes the key. Changes inside one instance still queue locally,
 * so an instance never waits on itself.
 */
export class KvAccountLocks implements AccountLocks {
  readonly #local = new LocalLocks();

  constructor(
    private readonly kv: KV,
    private readonly opts: KvLockOptions = {},
  ) {}

  run<T>(account: string, work: () => Promise<T>): Promise<T> {
    return this.#local.run(account, () => this.#held(account, work));
  }

  async #held<T>(account: string, work: () => Promise<T>): Promise<T> {
    const key = lockKey(account);
    const deadline = Date.now() + (this.opts.waitMs ?? 10_000);
    let revision: number;
    for (;;) {
      try {
        revision = await this.kv.create(key, "held");
        break;
      } catch (e) {
        if (!wrongRevision(e)) throw e;
        this.opts.onWait?.(account);
        if (Date.now() > deadline)
          throw new NatsterError(
            "AUTH_ACCOUNT_BUSY",
            "another authority instance is still changing this account; retry in a few seconds",
          );
        await sleep(this.opts.pollMs ?? 25);
      }
    }
    try {
      return await work();
    } finally {
      await this.kv.delete(key, { previousSeq: revision }).catch(() => undefined);
    }
  }
}
