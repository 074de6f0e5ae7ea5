import { headers, type Msg, type MsgHdrs } from "@nats-io/nats-core";
import {
  creditSubject,
  fail,
  isErrorCode,
  mediaSubject,
  NatsterError,
  TransferHeaders,
  type CreditMessage,
  type ErrorCode,
} from "@natster/protocol";
import { decodeJson, encodeJson, isRecord } from "./bytes.ts";

/** Where the sender publishes: the requester's account in token 1, or the plain subject for a same-account request. */
export const senderMediaSubject = (requester: string | undefined, catalog: string, transferId: string): string =>
  requester ? `${requester}.${mediaSubject(catalog, transferId)}` : mediaSubject(catalog, transferId);

/** Where the sender listens for credit; remote credit arrives with the importer's key in token 1. */
export const senderCreditSubject = (requester: string | undefined, catalog: string, transferId: string): string =>
  requester ? `*.${creditSubject(catalog, transferId)}` : creditSubject(catalog, transferId);

export function chunkHeaders(transferId: string, index: number, final: boolean): MsgHdrs {
  const h = headers();
  h.set(TransferHeaders.transfer, transferId);
  h.set(TransferHeaders.chunkIndex, String(index));
  if (final) h.set(TransferHeaders.final, "true");
  return h;
}

export type ChunkMeta = { transferId: string | undefined; index: number | undefined; final: boolean };

export function readChunkHeaders(msg: Msg): ChunkMeta {
  const rawIndex = msg.headers?.get(TransferHeaders.chunkIndex) ?? "";
  return {
    transferId: msg.headers?.get(TransferHeaders.transfer) || undefined,
    index: /^\d{1,16}$/.test(rawIndex) ? Number(rawIndex) : undefined,
    final: msg.headers?.get(TransferHeaders.final) === "true",
  };
}

/** An error the sender reports on the media subject: the code in a header, the envelope as the body. */
export function errorMessage(transferId: string, error: NatsterError): { payload: Uint8Array; headers: MsgHdrs } {
  const h = headers();
  h.set(TransferHeaders.transfer, transferId);
  h.set(TransferHeaders.error, error.code);
  return { payload: encodeJson(fail(error.status, error.code, error.message)), headers: h };
}

/** The sender's error carried by `msg`, or undefined for a chunk. */
export function readErrorMessage(msg: Msg): NatsterError | undefined {
  const code = msg.headers?.get(TransferHeaders.error);
  if (!code) return undefined;
  const body = decodeJson(msg.data);
  const text =
    isRecord(body) && typeof body.error === "string" ? body.error : `the catalog server stopped the transfer (${code})`;
  const known: ErrorCode = isErrorCode(code) ? code : "INTERNAL";
  return new NatsterError(known, text);
}

/** A well-formed credit message for `transferId`, or undefined (ignored by the sender). */
export function decodeCredit(data: Uint8Array, transferId: string): CreditMessage | undefined {
  const raw = decodeJson(data);
  if (!isRecord(raw) || raw.transfer_id !== transferId) return undefined;
  const { received, credit } = raw;
  if (!Number.isSafeInteger(received) || !Number.isSafeInteger(credit)) return undefined;
  return {
    transfer_id: transferId,
    received: received as number,
    credit: credit as number,
    cancel: raw.cancel === true,
  };
}

export const toNatsterError = (error: unknown, fallback: ErrorCode = "INTERNAL"): NatsterError =>
  error instanceof NatsterError
    ? error
    : new NatsterError(fallback, error instanceof Error ? error.message : String(error));
