import type { Msg, Subscription } from "@nats-io/nats-core";
import {
  creditSubject,
  NatsterError,
  SENDER_DIGEST_BYTES,
  STALL_TIMEOUT_MS,
  type CreditMessage,
  type DownloadReply,
} from "@natster/protocol";
import { encodeJson } from "./bytes.ts";
import type { ChunkCipher, TransferKey } from "./crypto.ts";
import type { MessageQueue } from "./message-queue.ts";
import { OrderedPipeline } from "./ordered-pipeline.ts";
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
  /** The sender's SHA-256 of the whole file, once the final chunk arrived (when the reply has sender_digest). */
  readonly senderDigest: Uint8Array | undefined;
  /** Stops the transfer: the sender is told, and a pending or later `next()` rejects with TRANSFER_CANCELLED. */
  cancel(): void;
}

export type IncomingContext = {
  nc: ReceiverConnection;
  catalog: string;
  reply: DownloadReply;
  key: TransferKey | undefined;
  cipher: ChunkCipher;
  sub: Subscription;
  queue: MessageQueue;
  window: number;
  idleTimeoutMs: number;
  signal: AbortSignal | undefined;
};

export class IncomingTransferImpl implements IncomingTransfer {
  /** Chunks are checked and decrypted as they arrive, ahead of the consumer, and delivered in order. */
  private readonly pipeline: OrderedPipeline<Uint8Array>;
  /** The index the next arriving message must carry. */
  private admitted = 0;
  private waiting = false;
  private delivered = 0;
  private credited = 0;
  private bytesValue = 0;
  private senderDigestValue: Uint8Array | undefined;
  private finished = false;
  private closed = false;
  private readonly keepalive: ReturnType<typeof setInterval>;
  private readonly onAbort = () => this.cancel();

  constructor(private readonly ctx: IncomingContext) {
    // Credit doubles as a keep-alive, so a paused consumer does not look like a dead one.
    const stall = ctx.reply.stall_timeout_ms ?? STALL_TIMEOUT_MS;
    this.keepalive = setInterval(() => this.sendCredit({}), Math.max(50, Math.floor(stall / 3)));
    ctx.signal?.addEventListener("abort", this.onAbort, { once: true });
    // Room for everything the queue may hold: flow control, not the pipeline, bounds memory.
    this.pipeline = new OrderedPipeline(ctx.queue.capacity);
    ctx.queue.onPush = () => this.admitArrived();
    if (ctx.signal?.aborted) this.cancel();
    this.admitArrived();
  }

  get reply(): DownloadReply {
    return this.ctx.reply;
  }

  get bytes(): number {
    return this.bytesValue;
  }

  get senderDigest(): Uint8Array | undefined {
    return this.senderDigestValue;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    if (this.finished) return this.done();
    this.grantCredit();
    try {
      if (this.pipeline.size === 0) await this.admitNextArrival();
      const chunk = await this.pipeline.take()!;
      const index = this.delivered;
      this.delivered++;
      this.bytesValue += chunk.length;
      this.finished = index === this.ctx.reply.total_chunks - 1;
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

  /** Waits for the next message (the consumer has nothing else to take), then admits it and any that came with it. */
  private async admitNextArrival(): Promise<void> {
    this.waiting = true;
    let msg: Msg;
    try {
      msg = await this.ctx.queue.next(this.ctx.idleTimeoutMs, () => this.idleError());
    } finally {
      this.waiting = false;
    }
    this.admit(msg);
    this.admitArrived();
  }

  /** Starts checking and decrypting every message that already arrived (errors surface in order, from next()). */
  private admitArrived(): void {
    // A consumer waiting on the queue takes the next message itself.
    if (this.closed || this.waiting) return;
    try {
      for (let msg = this.ctx.queue.take(); msg; msg = this.ctx.queue.take()) {
        // The pipeline holds what the queue would have held: more means the sender ignored flow control.
        if (this.pipeline.full) return this.ctx.queue.overflow();
        this.admit(msg);
      }
    } catch {
      // The queue failed: the consumer's next() reports it.
    }
  }

  private admit(msg: Msg): void {
    const index = this.admitted++;
    this.pipeline.push(() => this.accept(msg, index));
  }

  /** Chunk `index`'s plaintext, once its transfer, index, final flag, tag and size check out. */
  private async accept(msg: Msg, index: number): Promise<Uint8Array> {
    const sent = readErrorMessage(msg);
    if (sent) throw sent;
    const { reply, key } = this.ctx;
    const meta = readChunkHeaders(msg);
    if (meta.transferId !== reply.transfer_id || meta.index !== index) {
      throw new NatsterError(
        "CHUNK_REJECTED",
        `expected chunk ${index} of transfer ${reply.transfer_id}, got chunk ${meta.index ?? "?"} of ${meta.transferId ?? "?"}`,
      );
    }
    const last = index === reply.total_chunks - 1;
    if (meta.final !== last) throw new NatsterError("CHUNK_REJECTED", `chunk ${index} has a wrong final flag`);
    const plaintext = key ? await this.open(key, index, meta.final, msg.data) : msg.data;
    const expected = chunkSpan(
      { offset: reply.offset, length: reply.length, chunkSize: reply.chunk_size },
      index,
    ).length;
    // Authenticated with the rest of the final chunk, so nobody but the sender can state it.
    const trailer = last && reply.sender_digest === true ? SENDER_DIGEST_BYTES : 0;
    if (plaintext.length !== expected + trailer)
      throw new NatsterError(
        "CHUNK_REJECTED",
        `chunk ${index} has ${plaintext.length} bytes, ${expected + trailer} expected`,
      );
    if (!trailer) return plaintext;
    this.senderDigestValue = plaintext.slice(expected);
    return plaintext.subarray(0, expected);
  }

  /** Decrypts in place when the cipher can: each message's payload is its own buffer, used by no one else. */
  private open(key: TransferKey, index: number, final: boolean, sealed: Uint8Array): Promise<Uint8Array> | Uint8Array {
    const { cipher, reply } = this.ctx;
    return cipher.openInPlace
      ? cipher.openInPlace(key, reply.transfer_id, index, final, sealed)
      : cipher.decrypt(key, reply.transfer_id, index, final, sealed);
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
    const credit: CreditMessage = {
      transfer_id: this.ctx.reply.transfer_id,
      received: this.delivered,
      credit: this.ctx.window,
      ...extra,
    };
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
    this.pipeline.clear();
    this.ctx.queue.onPush = undefined;
    clearInterval(this.keepalive);
    this.ctx.signal?.removeEventListener("abort", this.onAbort);
    this.ctx.sub.unsubscribe();
  }

  private done(): IteratorResult<Uint8Array> {
    this.close();
    return { done: true, value: undefined };
  }
}
