import type { Msg, Subscription } from "@nats-io/nats-core";
import { creditSubject, NatsterError, STALL_TIMEOUT_MS, type CreditMessage, type DownloadReply } from "@natster/protocol";
import { encodeJson } from "./bytes.ts";
import { decryptChunk, type TransferKey } from "./crypto.ts";
import type { MessageQueue } from "./message-queue.ts";
import type { ReceiverConnection } from "./types.ts";
import { chunkSpan, creditInterval } from "./window.ts";
import { readChunkHeaders, readErrorMessage, toNatsterError } from "./wire.ts";

/**
 * A download in progress: iterate it for the decrypted chunks, in file order. Iterate to the end,
 * `break`, or call `cancel()`: until then it keeps the transfer alive with keep-alive credit.
 */
export interface IncomingTransfer extends AsyncIterableIterator<Uint8Array> {
  readonly reply: DownloadReply;
  /** Plaintext bytes delivered so far. */
  readonly bytes: number;
  /** Stops the transfer: the sender is told, and a pending or later `next()` rejects with TRANSFER_CANCELLED. */
  cancel(): void;
}

export type IncomingContext = {
  nc: ReceiverConnection;
  catalog: string;
  reply: DownloadReply;
  key: TransferKey | undefined;
  sub: Subscription;
  queue: MessageQueue;
  window: number;
  idleTimeoutMs: number;
  signal: AbortSignal | undefined;
};

export class IncomingTransferImpl implements IncomingTransfer {
  private nextIndex = 0;
  private delivered = 0;
  private credited = 0;
  private bytesValue = 0;
  private finished = false;
  private closed = false;
  private readonly keepalive: ReturnType<typeof setInterval>;
  private readonly onAbort = () => this.cancel();

  constructor(private readonly ctx: IncomingContext) {
    // Credit doubles as a keep-alive, so a paused consumer does not look like a dead one.
    const stall = ctx.reply.stall_timeout_ms ?? STALL_TIMEOUT_MS;
    this.keepalive = setInterval(() => this.sendCredit({}), Math.max(50, Math.floor(stall / 3)));
    ctx.signal?.addEventListener("abort", this.onAbort, { once: true });
    if (ctx.signal?.aborted) this.cancel();
  }

  get reply(): DownloadReply {
    return this.ctx.reply;
  }

  get bytes(): number {
    return this.bytesValue;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    if (this.finished) return this.done();
    this.grantCredit();
    try {
      const msg = await this.ctx.queue.next(this.ctx.idleTimeoutMs, () => this.idleError());
      const chunk = await this.accept(msg);
      if (this.finished) this.close();
      return { done: false, value: chunk };
    } catch (error) {
      const failure = toNatsterError(error);
      this.ctx.queue.fail(failure);
      this.abandon();
      throw failure;
    }
  }

  return(): Promise<IteratorResult<Uint8Array>> {
    if (!this.finished) this.abandon();
    return Promise.resolve(this.done());
  }

  cancel(): void {
    this.ctx.queue.fail(new NatsterError("TRANSFER_CANCELLED", "the download was cancelled"));
    if (!this.finished) this.abandon();
  }

  private async accept(msg: Msg): Promise<Uint8Array> {
    const sent = readErrorMessage(msg);
    if (sent) throw sent;
    const { reply, key } = this.ctx;
    const meta = readChunkHeaders(msg);
    const index = this.nextIndex;
    if (meta.transferId !== reply.transfer_id || meta.index !== index) {
      throw new NatsterError("CHUNK_REJECTED", `expected chunk ${index} of transfer ${reply.transfer_id}, got chunk ${meta.index ?? "?"} of ${meta.transferId ?? "?"}`);
    }
    const last = index === reply.total_chunks - 1;
    if (meta.final !== last) throw new NatsterError("CHUNK_REJECTED", `chunk ${index} has a wrong final flag`);
    const plaintext = key ? await decryptChunk(key, reply.transfer_id, index, meta.final, msg.data) : msg.data;
    const expected = chunkSpan({ offset: reply.offset, length: reply.length, chunkSize: reply.chunk_size }, index).length;
    if (plaintext.length !== expected) throw new NatsterError("CHUNK_REJECTED", `chunk ${index} has ${plaintext.length} bytes, ${expected} expected`);
    this.nextIndex++;
    this.delivered++;
    this.bytesValue += plaintext.length;
    this.finished = last;
    return plaintext;
  }

  private idleError(): NatsterError {
    const seconds = this.ctx.idleTimeoutMs / 1000;
    return new NatsterError(
      "TIMEOUT",
      `no data from the catalog server for ${seconds} s (after ${this.bytesValue} bytes): it may have stopped or lost its connection. Run the download again to resume.`,
    );
  }

  /** Everything delivered before this `next()` has been consumed: extend the window every half window. */
  private grantCredit(): void {
    if (this.delivered - this.credited >= creditInterval(this.ctx.window)) this.sendCredit({});
  }

  private sendCredit(extra: Partial<CreditMessage>): void {
    if (this.closed) return;
    this.credited = this.delivered;
    const credit: CreditMessage = { transfer_id: this.ctx.reply.transfer_id, received: this.delivered, credit: this.ctx.window, ...extra };
    try {
      this.ctx.nc.publish(creditSubject(this.ctx.catalog, credit.transfer_id), encodeJson(credit));
    } catch {
      // A closed connection: the sender stops on its own when credit stops.
    }
  }

  /** Tells the sender to stop, then frees everything. */
  private abandon(): void {
    this.sendCredit({ cancel: true });
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepalive);
    this.ctx.signal?.removeEventListener("abort", this.onAbort);
    this.ctx.sub.unsubscribe();
  }

  private done(): IteratorResult<Uint8Array> {
    this.close();
    return { done: true, value: undefined };
  }
}
