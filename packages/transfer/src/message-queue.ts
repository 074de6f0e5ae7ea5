import type { Msg } from "@nats-io/nats-core";
import type { NatsterError } from "@natster/protocol";
import { Wakeup } from "./wakeup.ts";

/**
 * Buffers the messages of one subscription for an in-order consumer. Bounded: a sender that
 * ignores flow control overflows it, which fails the queue instead of growing memory.
 */
export class MessageQueue {
  private readonly items: Msg[] = [];
  private failure: NatsterError | undefined;
  private readonly wakeup = new Wakeup();
  /** Told after every accepted message, so a consumer can start work on it at once (decrypt ahead). */
  onPush: (() => void) | undefined;

  constructor(
    readonly capacity: number,
    private readonly onOverflow: () => NatsterError,
  ) {}

  push(msg: Msg): void {
    if (this.failure) return;
    if (this.items.length >= this.capacity) return this.fail(this.onOverflow());
    this.items.push(msg);
    this.wakeup.notify();
    this.onPush?.();
  }

  /** The next message if one is already here (undefined otherwise); throws the queue's failure. */
  take(): Msg | undefined {
    if (this.failure) throw this.failure;
    return this.items.shift();
  }

  /** Fails the queue as overflowing (a consumer that buffers messages elsewhere counts them itself). */
  overflow(): void {
    this.fail(this.onOverflow());
  }

  /** Fails every current and future `next()` (first failure wins). */
  fail(error: NatsterError): void {
    this.failure ??= error;
    this.items.length = 0;
    this.wakeup.notify();
  }

  /** The next message; rejects with `onIdle()` when none arrives within `idleMs`. */
  async next(idleMs: number, onIdle: () => NatsterError): Promise<Msg> {
    const deadline = Date.now() + idleMs;
    for (;;) {
      if (this.failure) throw this.failure;
      const msg = this.items.shift();
      if (msg) return msg;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw onIdle();
      await this.wakeup.wait(remaining);
    }
  }
}
