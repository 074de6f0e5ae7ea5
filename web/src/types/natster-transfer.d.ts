/**
 * Type-checking stand-in for the parts of @natster/transfer the page uses; see
 * natster-protocol.d.ts for why. Signatures mirror packages/transfer/src (receiver.ts,
 * open-transfer.ts, incoming-transfer.ts, types.ts, withheld-tail-sink.ts, sha256.ts).
 */
declare module "@natster/transfer" {
  import type { NatsConnection } from "@nats-io/nats-core";
  import type { DownloadReply, NatsterError } from "@natster/protocol";

  export type ReceiverConnection = Pick<NatsConnection, "publish" | "subscribe" | "request">;

  export type OpenTransferOptions = {
    nc: ReceiverConnection;
    catalog: string;
    hash: string;
    offset?: number;
    length?: number;
    window?: number;
    chunkSize?: number;
    cipher?: "aes-256-gcm" | "none";
    requestTimeoutMs?: number;
    idleTimeoutMs?: number;
    signal?: AbortSignal;
  };

  export interface IncomingTransfer extends AsyncIterableIterator<Uint8Array> {
    readonly reply: DownloadReply;
    readonly bytes: number;
    cancel(): void;
  }

  export function openTransfer(opts: OpenTransferOptions): Promise<IncomingTransfer>;

  export interface Sha256 {
    update(data: Uint8Array): void | Promise<void>;
    digest(): Uint8Array | Promise<Uint8Array>;
  }
  export type Sha256Factory = () => Sha256;
  export interface SyncSha256 extends Sha256 {
    update(data: Uint8Array): void;
    digest(): Uint8Array;
  }
  export function createSha256(): SyncSha256;

  export type TransferSink = {
    write(chunk: Uint8Array): Promise<void>;
    resume?: { offset: number; prefix?: Sha256 };
    commit?(): Promise<void>;
    abort?(error: NatsterError): Promise<void>;
  };

  export type TransferProgress = { received: number; total: number; bytesPerSecond: number };

  export type DownloadFileOptions = OpenTransferOptions & {
    sink: TransferSink;
    sha256?: Sha256Factory;
    onProgress?: (progress: TransferProgress) => void;
  };

  export type DownloadResult = {
    bytes: number;
    offset: number;
    total: number;
    verified: "sha256" | "length";
    elapsedMs: number;
    bytesPerSecond: number;
  };

  export function downloadFile(opts: DownloadFileOptions): Promise<DownloadResult>;

  export type ChunkOutlet = {
    send(chunk: Uint8Array): Promise<void>;
    end(): void;
    fail(error: NatsterError): void;
  };

  export function withheldTailSink(outlet: ChunkOutlet): TransferSink;
}
