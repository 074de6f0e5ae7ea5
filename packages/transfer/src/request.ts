import {
  DEFAULT_CHUNK_SIZE,
  DEFAULT_CREDIT,
  isCurveKey,
  MAX_CHUNK_SIZE,
  MAX_CREDIT,
  MIN_CHUNK_SIZE,
  NatsterError,
  SHA256_HEX,
  TRANSFER_ID,
  TRANSFER_VERSION,
  type DownloadRequest,
} from "@natster/protocol";
import { decodeJson, isRecord } from "./bytes.ts";
import { chunkCount } from "./window.ts";

export type Cipher = NonNullable<DownloadRequest["cipher"]>;

/** What a catalog server is willing to do; the defaults come from the protocol. */
export type TransferPolicy = {
  /** Allow `cipher: "none"` (benchmarks, trusted local links). Off by default. */
  allowPlaintext?: boolean;
  minChunkSize?: number;
  maxChunkSize?: number;
  maxCredit?: number;
};

/** A validated request, resolved against the file: everything the sender needs. */
export type TransferPlan = {
  transferId: string;
  hash: string;
  receiverXkey: string;
  offset: number;
  length: number;
  chunkSize: number;
  credit: number;
  cipher: Cipher;
  totalChunks: number;
  /** The final chunk ends with the SHA-256 of the whole file, hashed as it is sent. */
  senderDigest: boolean;
};

const bad = (message: string) => new NatsterError("BAD_REQUEST", message);

const optionalInteger = (value: unknown, field: string, min: number): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min)
    throw bad(`${field} must be an integer ≥ ${min}`);
  return value;
};

/** Decodes and shape-checks a DownloadRequest (BAD_JSON / BAD_REQUEST); the range is checked by planTransfer. */
export function decodeDownloadRequest(data: Uint8Array): DownloadRequest {
  const raw = decodeJson(data);
  if (raw === undefined) throw new NatsterError("BAD_JSON", "the download request is not valid JSON");
  if (!isRecord(raw)) throw bad("the download request must be a JSON object");
  if (raw.version !== TRANSFER_VERSION)
    throw bad(
      `transfer protocol version ${TRANSFER_VERSION} is required (got ${JSON.stringify(raw.version) ?? "none"})`,
    );
  if (typeof raw.hash !== "string" || !SHA256_HEX.test(raw.hash)) throw bad("hash must be 64 lowercase hex characters");
  if (typeof raw.transfer_id !== "string" || !TRANSFER_ID.test(raw.transfer_id))
    throw bad("transfer_id must be 32 lowercase hex characters");
  if (!isCurveKey(raw.receiver_xkey)) throw bad("receiver_xkey must be a curve (xkey) public key");
  if (raw.cipher !== undefined && raw.cipher !== "aes-256-gcm" && raw.cipher !== "none")
    throw bad('cipher must be "aes-256-gcm" or "none"');
  if (raw.sender_digest !== undefined && typeof raw.sender_digest !== "boolean")
    throw bad("sender_digest must be true or false");
  const request: DownloadRequest = {
    version: TRANSFER_VERSION,
    hash: raw.hash,
    receiver_xkey: raw.receiver_xkey,
    transfer_id: raw.transfer_id,
  };
  const offset = optionalInteger(raw.offset, "offset", 0);
  const length = optionalInteger(raw.length, "length", 0);
  const chunkSize = optionalInteger(raw.chunk_size, "chunk_size", 1);
  const credit = optionalInteger(raw.credit, "credit", 1);
  if (offset !== undefined) request.offset = offset;
  if (length !== undefined) request.length = length;
  if (chunkSize !== undefined) request.chunk_size = chunkSize;
  if (credit !== undefined) request.credit = credit;
  if (raw.cipher !== undefined) request.cipher = raw.cipher;
  if (raw.sender_digest === true) request.sender_digest = true;
  return request;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Resolves a request against a file of `fileSize` bytes and the server's policy. */
export function planTransfer(request: DownloadRequest, fileSize: number, policy: TransferPolicy = {}): TransferPlan {
  const offset = request.offset ?? 0;
  if (offset > fileSize)
    throw new NatsterError(
      "RANGE_NOT_SATISFIABLE",
      `offset ${offset} is beyond the end of the file (${fileSize} bytes)`,
    );
  const length = request.length ?? fileSize - offset;
  if (offset + length > fileSize) {
    throw new NatsterError(
      "RANGE_NOT_SATISFIABLE",
      `bytes ${offset}+${length} are beyond the end of the file (${fileSize} bytes)`,
    );
  }
  const cipher = request.cipher ?? "aes-256-gcm";
  if (cipher === "none" && !policy.allowPlaintext)
    throw new NatsterError("PLAINTEXT_REFUSED", "this catalog server only sends encrypted transfers");
  const chunkSize = clamp(
    request.chunk_size ?? DEFAULT_CHUNK_SIZE,
    policy.minChunkSize ?? MIN_CHUNK_SIZE,
    policy.maxChunkSize ?? MAX_CHUNK_SIZE,
  );
  const credit = Math.min(request.credit ?? DEFAULT_CREDIT, policy.maxCredit ?? MAX_CREDIT);
  const senderDigest = request.sender_digest === true;
  // A digest of the whole file says nothing about a range, and only an AES-GCM tag makes it trustworthy.
  if (senderDigest && (offset !== 0 || length !== fileSize || cipher !== "aes-256-gcm"))
    throw bad("sender_digest is for whole files sent encrypted (offset 0, no length, cipher aes-256-gcm)");
  return {
    transferId: request.transfer_id,
    hash: request.hash,
    receiverXkey: request.receiver_xkey,
    offset,
    length,
    chunkSize,
    credit,
    cipher,
    totalChunks: chunkCount(length, chunkSize),
    senderDigest,
  };
}
