import type { Msg, Subscription } from "@nats-io/nats-core";
import {
  fail,
  MAX_CREDIT,
  NatsterError,
  notSharedError,
  ok,
  SENDER_DIGEST_BYTES,
  STALL_TIMEOUT_MS,
  TRANSFER_VERSION,
  type CreditMessage,
  type DownloadReply,
} from "@natster/protocol";
import {
  CHUNK_TAG_BYTES,
  createTransferKey,
  sealTransferKey,
  webCryptoChunkCipher,
  type ChunkCipher,
  type TransferKey,
} from "./crypto.ts";
import { encodeJson, toHex } from "./bytes.ts";
import { decodeDownloadRequest, planTransfer, type TransferPlan, type TransferPolicy } from "./request.ts";
import type { SenderConnection, SenderEndReason, SenderStats, TransferSource } from "./types.ts";
import { OrderedDigest } from "./ordered-digest.ts";
import { chunksToPrepare, OrderedPipeline } from "./ordered-pipeline.ts";
import { createSha256, type Sha256Factory } from "./sha256.ts";
import { Wakeup } from "./wakeup.ts";
import { CreditWindow, chunkSpan } from "./window.ts";
import {
  chunkHeaders,
  decodeCredit,
  errorMessage,
  senderCreditSubject,
  senderMediaSubject,
  toNatsterError,
} from "./wire.ts";

/** Chunks read and encrypted ahead of the one being published (never beyond the receiver's credit). */
const SENDER_PIPELINE_DEPTH = 4;

export type SenderOptions = TransferPolicy & {
  /** Stop when the receiver sent no credit for this long while the sender waits for it. */
  stallTimeoutMs?: number;
  /** Re-checked on every credit message; false stops the transfer with FORBIDDEN (a revoked share). */
  authorizeCredit?: () => Promise<boolean>;
  /** How chunks are encrypted (default WebCrypto; Node passes `nodeChunkCipher`). */
  chunkCipher?: ChunkCipher;
  /** Hashes a file for a receiver that asks for the sender's digest (default: pure JS; Node passes `threadedSha256`). */
  sha256?: Sha256Factory;
};

export type ServeDownloadOptions = {
  nc: SenderConnection;
  /** The download request, already authorized by the caller. */
  msg: Msg;
  /** The importer's account (token 1 of the request subject), or undefined for a same-account request. */
  requester: string | undefined;
  catalog: string;
  /** Closed by serveDownload when the transfer ends. */
  source: TransferSource;
  file: { hash: string; mime_type: string };
  options?: SenderOptions;
};

export type SenderTransfer = {
  /** Settles (never rejects) when the transfer ends. */
  done: Promise<SenderStats>;
  /** Stops the transfer (e.g. server shutdown); the receiver gets TRANSFER_CANCELLED. */
  stop(): void;
};

/** Replies an error envelope to a download request (for the caller's 403/404 before serveDownload). */
export function respondError(msg: Msg, error: unknown): void {
  const e = toNatsterError(error);
  msg.respond(encodeJson(fail(e.status, e.code, e.message)));
}

/** Validates and answers one download request, then streams the file under the receiver's credit. */
export function serveDownload(opts: ServeDownloadOptions): SenderTransfer {
  const transfer = new OutgoingTransfer(opts);
  return {
    done: transfer.run(),
    stop: () =>
      transfer.end("cancelled", new NatsterError("TRANSFER_CANCELLED", "the catalog server stopped the transfer")),
  };
}

class OutgoingTransfer {
  private readonly wakeup = new Wakeup();
  private readonly stallTimeoutMs: number;
  private window = new CreditWindow(0, 0);
  private plan: TransferPlan | undefined;
  private endReason: SenderEndReason | undefined;
  private endError: NatsterError | undefined;
  private lastCreditAt = Date.now();
  private creditChain = Promise.resolve();
  private sent = 0;
  private bytes = 0;
  /** Plaintext buffers the encrypting pipeline reuses (at most its depth). */
  private readonly scratch: Uint8Array[] = [];
  /** The whole file's SHA-256, for a receiver that asked for the sender's digest. */
  private digest: OrderedDigest | undefined;
  private statedDigest: string | undefined;

  constructor(private readonly opts: ServeDownloadOptions) {
    this.stallTimeoutMs = opts.options?.stallTimeoutMs ?? STALL_TIMEOUT_MS;
  }

  async run(): Promise<SenderStats> {
    let credits: Subscription | undefined;
    try {
      const plan = planTransfer(decodeDownloadRequest(this.opts.msg.data), this.opts.source.size, this.opts.options);
      if (plan.hash !== this.opts.file.hash)
        throw new NatsterError("NOT_FOUND", "the requested hash is not the file being served");
      this.window = new CreditWindow(plan.credit, this.opts.options?.maxCredit ?? MAX_CREDIT);
      if (plan.senderDigest) this.digest = new OrderedDigest((this.opts.options?.sha256 ?? createSha256)());
      const key = plan.cipher === "none" ? undefined : await createTransferKey();
      // Listen before replying: the receiver may send credit as soon as it has the reply.
      credits = this.listenForCredit(plan);
      this.opts.msg.respond(encodeJson(ok(this.reply(plan, key))));
      this.plan = plan;
      if (this.endError) this.tell(plan, this.endError); // stopped while the reply was being prepared
      this.lastCreditAt = Date.now();
      await this.sendChunks(plan, key);
    } catch (error) {
      if (!this.plan) respondError(this.opts.msg, error);
      this.end("error", toNatsterError(error));
    } finally {
      credits?.unsubscribe();
      await this.opts.source.close?.().catch(() => undefined);
    }
    return {
      transferId: this.plan?.transferId,
      bytes: this.bytes,
      chunks: this.sent,
      reason: this.endReason ?? "complete",
      ...(this.endError ? { error: this.endError } : {}),
      ...(this.statedDigest ? { statedDigest: this.statedDigest } : {}),
    };
  }

  /** Ends the transfer once; the receiver hears why unless it cancelled itself. */
  end(reason: SenderEndReason, error?: NatsterError): void {
    if (this.endReason) return;
    this.endReason = reason;
    this.endError = error;
    this.wakeup.notify();
    if (error && this.plan && reason !== "complete") this.tell(this.plan, error);
  }

  private reply(plan: TransferPlan, key: TransferKey | undefined): DownloadReply {
    const sealed = key ? sealTransferKey(key.raw, plan.receiverXkey) : { senderXkey: "", sealedKey: "" };
    return {
      version: TRANSFER_VERSION,
      transfer_id: plan.transferId,
      acknowledged: true,
      chunk_size: plan.chunkSize,
      total_chunks: plan.totalChunks,
      sender_xkey: sealed.senderXkey,
      total_bytes: this.opts.source.size,
      sealed_key: sealed.sealedKey,
      cipher: plan.cipher,
      offset: plan.offset,
      length: plan.length,
      hash: plan.hash,
      mime_type: this.opts.file.mime_type,
      stall_timeout_ms: this.stallTimeoutMs,
      ...(plan.senderDigest ? { sender_digest: true } : {}),
    };
  }

  private async sendChunks(plan: TransferPlan, key: TransferKey | undefined): Promise<void> {
    const subject = senderMediaSubject(this.opts.requester, this.opts.catalog, plan.transferId);
    // Chunks the credit already allows are read and encrypted ahead, so crypto overlaps publishing.
    const pipeline = new OrderedPipeline<Uint8Array>(Math.max(1, Math.min(plan.credit, SENDER_PIPELINE_DEPTH)));
    let prepared = 0;
    for (let index = 0; index < plan.totalChunks; index++) {
      if (!(await this.waitForCredit(index))) return pipeline.clear();
      const start = chunksToPrepare({
        prepared,
        total: plan.totalChunks,
        creditLimit: this.window.limit,
        inFlight: pipeline.size,
        depth: pipeline.depth,
      });
      for (let n = 0; n < start; n++) {
        const i = prepared++;
        pipeline.push(() => this.prepareChunk(plan, key, i));
      }
      const payload = await pipeline.take()!;
      if (this.endReason) return pipeline.clear();
      const span = chunkSpan(plan, index);
      this.opts.nc.publish(subject, payload, {
        headers: chunkHeaders(plan.transferId, index, index === plan.totalChunks - 1),
      });
      this.sent++;
      this.bytes += span.length;
    }
    await this.opts.nc.flush();
    this.end("complete");
  }

  /**
   * Reads chunk `index` and, unless the transfer is plaintext, encrypts it (bound to its index and
   * final flag). With a sender digest, every chunk is hashed in file order before it is sealed, and
   * the final chunk's plaintext ends with the digest. Called in index order: readHashed takes the
   * chunk's turn in the hash before the first await.
   */
  private async prepareChunk(plan: TransferPlan, key: TransferKey | undefined, index: number): Promise<Uint8Array> {
    const span = chunkSpan(plan, index);
    const final = index === plan.totalChunks - 1;
    // The final chunk of a transfer with a sender digest ends with it.
    const stated = final ? this.digest : undefined;
    const trailer = stated ? SENDER_DIGEST_BYTES : 0;
    const cipher = this.opts.options?.chunkCipher ?? webCryptoChunkCipher;
    if (key && cipher.sealInPlace) {
      // Read into a buffer with room for the tag and seal it there: one buffer per chunk, like plaintext.
      const buffer = new Uint8Array(span.length + trailer + CHUNK_TAG_BYTES);
      const plaintext = await this.readHashed(span, buffer);
      // A source may return its own buffer instead of filling ours.
      if (plaintext.buffer !== buffer.buffer || plaintext.byteOffset !== buffer.byteOffset) buffer.set(plaintext);
      if (stated) buffer.set(await this.state(stated), span.length);
      cipher.sealInPlace(key, plan.transferId, index, final, buffer);
      return buffer;
    }
    // Plaintext that is encrypted by a copying cipher can be read into a reused buffer; plaintext
    // that is published cannot (the connection holds it until it writes).
    const scratch = key && span.length > 0 ? (this.scratch.pop() ?? new Uint8Array(plan.chunkSize)) : undefined;
    try {
      const read = await this.readHashed(span, scratch);
      const plaintext = stated ? concat(read, await this.state(stated)) : read;
      return key ? await cipher.encrypt(key, plan.transferId, index, final, plaintext) : plaintext;
    } finally {
      if (scratch) this.scratch.push(scratch);
    }
  }

  /** The whole file's digest, recorded for the sender's stats. */
  private async state(digest: OrderedDigest): Promise<Uint8Array> {
    const bytes = await digest.digest();
    this.statedDigest = toHex(bytes);
    return bytes;
  }

  /** The span's bytes, once they (and every chunk before them) are hashed when the receiver asked for the sender's digest. */
  private readHashed(span: { offset: number; length: number }, into: Uint8Array | undefined): Promise<Uint8Array> {
    const reading = this.read(span, into);
    return this.digest ? this.digest.add(reading).then(() => reading) : reading;
  }

  /** Exactly the span's bytes (into `into` when given); INTERNAL when the file shrank. */
  private async read(span: { offset: number; length: number }, into: Uint8Array | undefined): Promise<Uint8Array> {
    if (span.length === 0) return new Uint8Array();
    const plaintext = await this.opts.source.read(span.offset, span.length, into);
    if (plaintext.length !== span.length)
      throw new NatsterError(
        "INTERNAL",
        `the file shrank while being sent (read ${plaintext.length} of ${span.length} bytes at ${span.offset})`,
      );
    return plaintext;
  }

  private async waitForCredit(index: number): Promise<boolean> {
    while (!this.endReason && !this.window.allows(index)) {
      const remaining = this.lastCreditAt + this.stallTimeoutMs - Date.now();
      if (remaining <= 0)
        this.end(
          "stalled",
          new NatsterError("TRANSFER_STALLED", `no credit from the receiver for ${this.stallTimeoutMs} ms`),
        );
      else await this.wakeup.wait(remaining);
    }
    return !this.endReason;
  }

  private listenForCredit(plan: TransferPlan): Subscription {
    const { requester, catalog, nc } = this.opts;
    const sub = nc.subscribe(senderCreditSubject(requester, catalog, plan.transferId), {
      callback: (err, msg) => {
        if (err) return this.end("error", toNatsterError(err));
        if (requester && msg.subject.split(".", 1)[0] !== requester) return;
        const credit = decodeCredit(msg.data, plan.transferId);
        if (!credit) return;
        this.lastCreditAt = Date.now();
        if (credit.cancel) return this.end("cancelled");
        // One at a time and in order, since each may wait for authorizeCredit.
        this.creditChain = this.creditChain
          .then(() => this.applyCredit(credit))
          .catch((e: unknown) => this.end("error", toNatsterError(e)));
      },
    });
    void sub.closed.then(() =>
      this.end("error", new NatsterError("INTERNAL", "the credit subscription closed (connection lost)")),
    );
    return sub;
  }

  private async applyCredit(credit: CreditMessage): Promise<void> {
    if (this.endReason) return;
    const authorize = this.opts.options?.authorizeCredit;
    if (authorize) {
      const allowed = await authorize().catch((e: unknown) => toNatsterError(e));
      if (allowed instanceof NatsterError)
        return this.end("error", new NatsterError("INTERNAL", `could not re-check the share: ${allowed.message}`));
      if (!allowed) return this.end("revoked", notSharedError(this.opts.catalog, "Forbidden"));
    }
    this.window.grant(credit.received, credit.credit, this.sent);
    this.wakeup.notify();
  }

  private tell(plan: TransferPlan, error: NatsterError): void {
    try {
      const { payload, headers } = errorMessage(plan.transferId, error);
      this.opts.nc.publish(senderMediaSubject(this.opts.requester, this.opts.catalog, plan.transferId), payload, {
        headers,
      });
    } catch {
      // The connection is gone; the receiver will time out instead.
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
