/**
 * Natster transfer protocol v2 (PROTOCOL.md): runs in Node and browsers. Node file adapters
 * and the node:crypto hasher are in "./node".
 */
export {
  serveDownload,
  respondError,
  type SenderOptions,
  type ServeDownloadOptions,
  type SenderTransfer,
} from "./sender.ts";
export { downloadFile, type DownloadFileOptions, type DownloadResult } from "./receiver.ts";
export { openTransfer, DEFAULT_IDLE_TIMEOUT_MS, type OpenTransferOptions } from "./open-transfer.ts";
export { DEFAULT_REQUEST_TIMEOUT_MS } from "@natster/protocol";
export type { IncomingTransfer } from "./incoming-transfer.ts";
export { decodeDownloadRequest, planTransfer, type Cipher, type TransferPlan, type TransferPolicy } from "./request.ts";
export {
  chunkNonce,
  createTransferKey,
  decryptChunk,
  encryptChunk,
  importTransferKey,
  openTransferKey,
  sealTransferKey,
  webCryptoChunkCipher,
  type ChunkCipher,
  type SealedKey,
  type TransferKey,
} from "./crypto.ts";
export { createSha256, type Sha256, type Sha256Factory, type SyncSha256 } from "./sha256.ts";
export { MAX_QUEUED_BYTES, workerSha256 } from "./worker-sha256.ts";
export { serveSha256 } from "./serve-sha256.ts";
export type { HasherToPage, HashPort, PageToHasher } from "./sha256-messages.ts";
export { chunkCount, chunkSpan, creditInterval, CreditWindow } from "./window.ts";
export { senderCreditSubject, senderMediaSubject } from "./wire.ts";
export { toHex } from "./bytes.ts";
export { paceDelayMs, parseRate } from "./pace.ts";
export { withheldTailSink, type ChunkOutlet } from "./withheld-tail-sink.ts";
export type {
  ReceiverConnection,
  SenderConnection,
  SenderEndReason,
  SenderStats,
  TransferProgress,
  TransferSink,
  TransferSource,
} from "./types.ts";
