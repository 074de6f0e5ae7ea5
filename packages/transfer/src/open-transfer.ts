import { createCurve, type KeyPair } from "@nats-io/nkeys";
import {
  DEFAULT_CHUNK_SIZE,
  DEFAULT_CREDIT,
  DEFAULT_REQUEST_TIMEOUT_MS,
  downloadSubject,
  mediaSubject,
  NatsterError,
  notSharedError,
  readEnvelope,
  requestFailure,
  TRANSFER_VERSION,
  creditSubject,
  type CreditMessage,
  type DownloadReply,
  type DownloadRequest,
} from "@natster/protocol";
import { decodeJson, encodeJson, isRecord, randomHex } from "./bytes.ts";
import { importTransferKey, openTransferKey, webCryptoChunkCipher, type ChunkCipher } from "./crypto.ts";
import { IncomingTransferImpl, type IncomingTransfer } from "./incoming-transfer.ts";
import { MessageQueue } from "./message-queue.ts";
import type { Cipher } from "./request.ts";
import type { ReceiverConnection } from "./types.ts";
import { chunkCount } from "./window.ts";
import { toNatsterError } from "./wire.ts";

export type OpenTransferOptions = {
  nc: ReceiverConnection;
  catalog: string;
  /** The file's SHA-256 (lowercase hex), as listed in the catalog. */
  hash: string;
  /** First byte wanted (range or resume); default 0. */
  offset?: number;
  /** Bytes wanted from `offset`; default to the end of the file. */
  length?: number;
  /** Chunks the sender may run ahead of what this receiver consumed (default 16). */
  window?: number;
  chunkSize?: number;
  cipher?: Cipher;
  /** How long the catalog server has to answer the request (default 5 s). */
  requestTimeoutMs?: number;
  /** How long to wait for the next chunk before giving up with TIMEOUT (default 30 s). */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  /** How chunks are decrypted (default WebCrypto; Node passes `nodeChunkCipher`). */
  chunkCipher?: ChunkCipher;
  /**
   * Ask the sender for its SHA-256 of the whole file, authenticated in the final chunk, instead of
   * hashing here (where hashing is dear: a browser has no SHA instructions for incremental hashing).
   * Asked only for a whole, encrypted file; a sender that does not offer it leaves it off its reply.
   */
  senderDigest?: boolean;
};

export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/**
 * Starts a download and yields its decrypted chunks in order (for streaming, e.g. into
 * MediaSource). The media subscription exists before the request, so no chunk is missed.
 */
export async function openTransfer(opts: OpenTransferOptions): Promise<IncomingTransfer> {
  if (opts.signal?.aborted) throw new NatsterError("TRANSFER_CANCELLED", "the download was cancelled");
  const window = opts.window ?? DEFAULT_CREDIT;
  const xkey = createCurve();
  const transferId = randomHex(16);
  // Room for one window of chunks plus the sender's error message.
  const queue = new MessageQueue(
    window + 2,
    () => new NatsterError("CHUNK_REJECTED", "the sender ignored flow control"),
  );
  const sub = opts.nc.subscribe(mediaSubject(opts.catalog, transferId), {
    callback: (err, msg) => (err ? queue.fail(toNatsterError(err)) : queue.push(msg)),
  });
  try {
    const reply = await requestDownload(opts, { transferId, receiverXkey: xkey.getPublicKey(), window });
    if (opts.signal?.aborted) throw new NatsterError("TRANSFER_CANCELLED", "the download was cancelled");
    const key = reply.cipher === "none" ? undefined : await importTransferKey(openKey(xkey, reply));
    const idleTimeoutMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    return new IncomingTransferImpl({
      nc: opts.nc,
      catalog: opts.catalog,
      reply,
      key,
      cipher: opts.chunkCipher ?? webCryptoChunkCipher,
      sub,
      queue,
      window,
      idleTimeoutMs,
      signal: opts.signal,
    });
  } catch (error) {
    sub.unsubscribe();
    // Harmless if no sender exists; stops one whose reply we lost or could not use.
    sendCancel(opts, transferId);
    throw error;
  } finally {
    xkey.clear();
  }
}

function sendCancel(opts: OpenTransferOptions, transferId: string): void {
  const cancel: CreditMessage = { transfer_id: transferId, received: 0, credit: 0, cancel: true };
  try {
    opts.nc.publish(creditSubject(opts.catalog, transferId), encodeJson(cancel));
  } catch {
    // The connection is gone; the sender stalls out on its own.
  }
}

const openKey = (xkey: KeyPair, reply: DownloadReply) => openTransferKey(xkey, reply.sealed_key, reply.sender_xkey);

async function requestDownload(
  opts: OpenTransferOptions,
  ids: { transferId: string; receiverXkey: string; window: number },
): Promise<DownloadReply> {
  const request: DownloadRequest = {
    version: TRANSFER_VERSION,
    hash: opts.hash,
    receiver_xkey: ids.receiverXkey,
    transfer_id: ids.transferId,
    chunk_size: opts.chunkSize ?? DEFAULT_CHUNK_SIZE,
    credit: ids.window,
    cipher: opts.cipher ?? "aes-256-gcm",
    ...(opts.offset !== undefined ? { offset: opts.offset } : {}),
    ...(opts.length !== undefined ? { length: opts.length } : {}),
    ...(wantsSenderDigest(opts) ? { sender_digest: true } : {}),
  };
  const timeout = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  let data: Uint8Array;
  try {
    data = (await opts.nc.request(downloadSubject(opts.catalog), encodeJson(request), { timeout })).data;
  } catch (error) {
    throw requestFailure(error, { kind: "catalog", catalog: opts.catalog }, timeout);
  }
  return checkReply(decodeJson(data), request, opts.catalog);
}

const wantsSenderDigest = (opts: OpenTransferOptions): boolean =>
  opts.senderDigest === true &&
  (opts.offset ?? 0) === 0 &&
  opts.length === undefined &&
  (opts.cipher ?? "aes-256-gcm") === "aes-256-gcm";

function checkReply(envelope: unknown, request: DownloadRequest, catalog: string): DownloadReply {
  const invalid = (why: string) =>
    new NatsterError("INTERNAL", `the catalog server sent an invalid download reply: ${why}`);
  let data: unknown;
  try {
    data = readEnvelope<unknown>(envelope, "the catalog server");
  } catch (error) {
    const refused = error as NatsterError;
    throw refused.code === "FORBIDDEN" ? notSharedError(catalog, refused.message) : refused;
  }
  if (!isRecord(data)) throw invalid("no data");
  const reply = data as DownloadReply;
  if (reply.version !== TRANSFER_VERSION || reply.transfer_id !== request.transfer_id || reply.hash !== request.hash)
    throw invalid("it names another transfer");
  if (reply.cipher !== request.cipher)
    throw invalid(`cipher ${String(reply.cipher)} instead of ${String(request.cipher)}`);
  const sizes = [reply.offset, reply.length, reply.chunk_size, reply.total_chunks, reply.total_bytes];
  if (!sizes.every((n) => Number.isSafeInteger(n) && n >= 0) || reply.chunk_size < 1) throw invalid("bad sizes");
  if (
    reply.stall_timeout_ms !== undefined &&
    !(Number.isSafeInteger(reply.stall_timeout_ms) && reply.stall_timeout_ms > 0)
  )
    throw invalid("bad stall_timeout_ms");
  if (reply.sender_digest !== undefined && reply.sender_digest !== (request.sender_digest === true))
    throw invalid("a sender digest that was not asked for");
  if (reply.offset !== (request.offset ?? 0) || (request.length !== undefined && reply.length !== request.length))
    throw invalid("another range");
  if (
    reply.offset + reply.length > reply.total_bytes ||
    reply.total_chunks !== chunkCount(reply.length, reply.chunk_size)
  )
    throw invalid("inconsistent sizes");
  return reply;
}
